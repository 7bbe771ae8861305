"""Records the inclusion checker adds where no keyword-by-keyword rule explains what it proved."""

from __future__ import annotations

from schemadiff.model import Effect
from schemadiff.rules import rule


@rule("not-included", action="changed", effect=Effect.BOTH, derived=True)
def not_included(d):
    """The inclusion checker found a document that one version accepts and the other refuses
    where it matters (the old schema's documents in a request or under ``--compat backward``,
    the new schema's in a response or under ``--compat forward``), and no other record explains
    it: keywords that act together (a removed property that now falls under
    ``additionalProperties``, tuple items, dependencies). The record shows the document, checked
    with the validator; "compatible" is never printed over it. It is added by a pass after the
    comparison (schemadiff/verify.py), so no single keyword change makes it."""
    if d.get("refused_by") == "old":
        return "a document the new schema accepts was refused by the old one (found by the inclusion checker)"
    return "a document the old schema accepts is now refused (found by the inclusion checker)"
