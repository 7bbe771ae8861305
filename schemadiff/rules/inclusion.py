"""Records the inclusion checker adds where no keyword-by-keyword rule explains what it proved."""

from __future__ import annotations

from schemadiff.model import Effect
from schemadiff.rules import Details, rule


@rule("not-included", action="changed", effect=Effect.BOTH, derived=True)
def not_included(d: Details) -> str:
    """A document one version accepts and the other refuses, found by the inclusion checker,
    that no other record explains.

    Where it matters: the old schema's documents in a request or under ``--compat backward``,
    the new schema's in a response or under ``--compat forward``. Keywords that act together can
    hide such a document from the keyword-by-keyword rules. The record shows the document,
    checked with the validator; "compatible" is never printed over it. It is added by a pass
    after the comparison (schemadiff/second_opinion.py), so no single keyword change makes it."""
    if d.get("refused_by") == "old":
        return "a document the new schema accepts was refused by the old one (found by the inclusion checker)"
    return "a document the old schema accepts is now refused (found by the inclusion checker)"
