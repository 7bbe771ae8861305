"""A plain JSON Schema: one root schema, and its definitions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemadiff.kinds import Kind, declares_openapi, plain_normaliser
from schemadiff.model import Api
from schemadiff.normalise import Node, Normaliser
from schemadiff.refs import DRAFT_NAMES, guess_draft

if TYPE_CHECKING:
    from schemadiff.refs import Workspace


def detect(data: dict) -> bool:
    return True  # any object is a schema (an empty one accepts everything)


def build(side: Normaliser) -> Api:
    doc = side.workspace.main
    data = doc.data
    title = data.get("title") if isinstance(data.get("title"), str) else None
    version = data.get("version") if isinstance(data.get("version"), str) else None
    return Api(kind="jsonschema", title=title, version=version, resources={},
               root=Node(doc, "", data))


def guess_drafts(old: Workspace, new: Workspace) -> list[str]:
    """A plain schema without ``$schema`` is read as the draft its keywords give away (a boolean
    ``exclusiveMinimum`` is draft-04, an ``items`` array draft-07; see refs.guess_draft),
    as validators of that draft would read it; the evidence of one version also decides for the
    other, written without any. Each guess is a warning in the report."""
    guesses = {}
    for workspace in (old, new):
        data = workspace.main.data
        if isinstance(data, dict) and "$schema" not in data:
            guesses[id(workspace)] = guess_draft(data)
    evidence = [guess for guess in guesses.values() if guess[1] is not None]
    notes = []
    for workspace in (old, new):
        guess = guesses.get(id(workspace))
        if guess is None:
            continue
        draft, where = guess if guess[1] is not None or not evidence else (evidence[0][0], None)
        if draft == workspace.main.draft:
            continue
        workspace.main.draft = draft
        why = f"from {where}" if where else "as the other version"
        notes.append(f"{workspace.main.source.name}: no $schema; read as {DRAFT_NAMES[draft]} ({why})")
    return notes


KIND = Kind("jsonschema", detect=detect, misfit=declares_openapi, normaliser=plain_normaliser,
            build=build, prepare=guess_drafts)
