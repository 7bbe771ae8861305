"""Inclusion between schemas: is every document the old schema accepts also accepted by the new?

    from schemadiff.inclusion import includes
    answer = includes({"type": "integer"}, {"type": "number"})   # Answer(verdict="yes")

:class:`Answer` is "yes" (proven), "no" with a ``witness`` document checked with the ``jsonschema``
validator (old accepts it, new refuses it), or "unknown" with a one-line ``reason``. For schemas in
files, or places inside loaded documents, build a :class:`Side` for each version and ask a
:class:`Checker` (memoised per pair of places). See docs/inclusion.md.
"""

from typing import Any

from schemadiff.inclusion.side import Side, guess_draft

__all__ = ["NO", "UNKNOWN", "YES", "Answer", "Checker", "Side", "guess_draft", "includes"]
_CHECKER = {"Answer", "Checker", "includes", "YES", "NO", "UNKNOWN"}


def __getattr__(name: str) -> Any:
    """The checker (and greenery under it) is imported when first used: a comparison reads
    ``guess_draft`` from here on every run, and asks the checker only where a record needs it."""
    if name in _CHECKER:
        from schemadiff.inclusion import checker
        return getattr(checker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
