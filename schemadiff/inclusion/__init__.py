"""Inclusion between schemas: is every document the old schema accepts also accepted by the new?

    from schemadiff.inclusion import includes
    answer = includes({"type": "integer"}, {"type": "number"})   # Answer(verdict="yes")

:class:`Answer` is "yes" (proven), "no" with a ``witness`` document checked with the ``jsonschema``
validator (old accepts it, new refuses it), or "unknown" with a one-line ``reason``. For schemas in
files, or places inside loaded documents, build a :class:`Side` for each version and ask a
:class:`Checker` (memoised per pair of places). See docs/inclusion.md.
"""

from schemadiff.inclusion.checker import NO, UNKNOWN, YES, Answer, Checker, includes
from schemadiff.inclusion.side import Side, guess_draft

__all__ = ["Answer", "Checker", "Side", "includes", "guess_draft", "YES", "NO", "UNKNOWN"]
