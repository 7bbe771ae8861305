"""Strings: ``minLength``/``maxLength``, ``pattern``, ``format``, and what a string encodes
(``contentEncoding``, ``contentMediaType``, ``contentSchema``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemadiff.model import Effect, Severity
from schemadiff.pairs import pairs
from schemadiff.rules import Details, at, compare_limit, compares, limit_rules, names, rule
from schemadiff.samples import FORMAT_SAMPLES, string_for
from schemadiff.steps import DECODED

if TYPE_CHECKING:
    from collections.abc import Iterable

    from schemadiff.context import Context
    from schemadiff.model import Change
    from schemadiff.normalise import View
    from schemadiff.rules import Walk
    from schemadiff.samples import Sampler

MIN_LENGTH = limit_rules(
    "min-length", "character", topic="strings", upper=False,
    examples=(({"type": "string", "minLength": 1}, {"type": "string", "minLength": 3}),
              ({"type": "string", "minLength": 3}, {"type": "string", "minLength": 1})),
    tighter_why="Strings shorter than the new minimum are rejected.",
    looser_why="Shorter strings are accepted, and may be returned; few readers check lengths, "
               "so in a response it is dangerous rather than breaking.")
MAX_LENGTH = limit_rules(
    "max-length", "character", topic="strings", upper=True,
    examples=(({"type": "string", "maxLength": 50}, {"type": "string", "maxLength": 20}),
              ({"type": "string", "maxLength": 20}, {"type": "string", "maxLength": 50})),
    tighter_why="Strings longer than the new maximum are rejected.",
    looser_why="Longer strings are accepted, and may be returned: a reader with a fixed-size "
               "buffer or column can fail, so in a response it is dangerous.")


def _lengths_refused(reject: View) -> list[int]:
    out = []
    if reject.min_length:
        out.append(reject.min_length - 1)
    if reject.max_length is not None:
        out.append(reject.max_length + 1)
    return out


def _string_of_refused_length(accept: View, reject: View, change: Change, sampler: Sampler,
                              hint: Any) -> Iterable[Any]:
    """A string just outside the other side's length limits (one longer than its maxLength...)."""
    for length in _lengths_refused(reject):
        yield sampler.string(accept, length)


for _rule in MIN_LENGTH + MAX_LENGTH:
    _rule.witnessed_by(_string_of_refused_length)


@compares
def compare_lengths(old: View, new: View, walk: Walk, ctx: Context) -> None:
    compare_limit(walk, ctx, MIN_LENGTH, old.min_length, new.min_length, at(old, "minLength"),
                  at(new, "minLength"), upper=False)
    compare_limit(walk, ctx, MAX_LENGTH, old.max_length, new.max_length, at(old, "maxLength"),
                  at(new, "maxLength"), upper=True)


@rule("pattern-added", action="added", effect=Effect.NARROWS,
      example=({"type": "string"},
               {"type": "string", "pattern": "^[a-z]+$"}))
def pattern_added(d: Details) -> str:
    """Strings must now match a regular expression: others are rejected."""
    return f"text must now match the pattern {names([d['new']])}"


@rule("pattern-removed", action="removed", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"type": "string", "pattern": "^[a-z]+$"},
               {"type": "string"}))
def pattern_removed(d: Details) -> str:
    """Any string is accepted, and may be returned; readers that parse the old shape can fail."""
    return f"text no longer needs to match the pattern {names([d['old']])}"


@rule("pattern-changed", action="changed", effect=Effect.BOTH, response=Severity.DANGEROUS,
      example=({"type": "string", "pattern": "^[a-z]+$"},
               {"type": "string", "pattern": "^[a-z0-9]{3}$"}))
def pattern_changed(d: Details) -> str:
    """Whether one regular expression admits everything the other does cannot be decided in general,
    so a changed pattern is assumed to go both ways: a request may reject what it accepted (breaking),
    a response may return strings of a new shape (dangerous: most readers treat them as opaque)."""
    return f"text must now match the pattern {names([d['new']])} instead of {names([d['old']])}"


@compares
def compare_patterns(old: View, new: View, walk: Walk, ctx: Context) -> None:
    patterns = pairs(old.patterns, new.patterns)
    removed = [p.key for p in patterns.removed]
    added = [p.key for p in patterns.added]
    while removed and added:
        before, after = removed.pop(0), added.pop(0)
        walk.report(pattern_changed, ctx, old_at=f"{old.patterns[before]}/pattern",
                    new_at=f"{new.patterns[after]}/pattern", old=before, new=after)
    for pattern in removed:
        walk.report(pattern_removed, ctx, old_at=f"{old.patterns[pattern]}/pattern",
                    new_at=new.where, old=pattern)
    for pattern in added:
        walk.report(pattern_added, ctx, old_at=old.where, new_at=f"{new.patterns[pattern]}/pattern",
                    new=pattern)


@rule("format-added", action="added", effect=Effect.NARROWS, response=Severity.SAFE,
      example=({"type": "string"},
               {"type": "string", "format": "date"}))
def format_added(d: Details) -> str:
    """Validators that assert formats reject strings not in the new format."""
    return f"must now be a valid `{d['new']}`"


@rule("format-removed", action="removed", effect=Effect.WIDENS, response=Severity.DANGEROUS,
      example=({"type": "string", "format": "date"},
               {"type": "string"}))
def format_removed(d: Details) -> str:
    """Any string is accepted; readers that parse the old format (dates, uuids) can fail."""
    return f"no longer needs to be a valid `{d['old']}`"


@rule("format-changed", action="changed", effect=Effect.BOTH, response=Severity.DANGEROUS,
      example=({"type": "string", "format": "date"},
               {"type": "string", "format": "date-time"}))
def format_changed(d: Details) -> str:
    """Strings of the old format may be rejected, and readers may get a format they do not parse."""
    return f"must now be a valid `{d['new']}` instead of a `{d['old']}`"


@compares
def compare_formats(old: View, new: View, walk: Walk, ctx: Context) -> None:
    formats = pairs(old.formats, new.formats)
    removed = [f.key for f in formats.removed]
    added = [f.key for f in formats.added]
    while removed and added:
        before, after = removed.pop(0), added.pop(0)
        walk.report(format_changed, ctx, old_at=f"{old.formats[before]}/format",
                    new_at=f"{new.formats[after]}/format", old=before, new=after)
    for name in removed:
        walk.report(format_removed, ctx, old_at=f"{old.formats[name]}/format", new_at=new.where,
                    old=name)
    for name in added:
        walk.report(format_added, ctx, old_at=old.where, new_at=f"{new.formats[name]}/format",
                    new=name)


@pattern_added.witnessed_by
@pattern_removed.witnessed_by
@pattern_changed.witnessed_by
def _string_of_the_other_shape(accept: View, reject: View, change: Change, sampler: Sampler,
                               hint: Any) -> Iterable[Any]:
    """A string the accepting pattern matches: its example first, then one made from the regex."""
    yield sampler.value(accept)
    for pattern in accept.patterns:
        yield string_for(pattern, accept.min_length or 0, accept.max_length)
    yield from ("a", "0", "not matching", "A-1")


@format_added.witnessed_by
@format_removed.witnessed_by
@format_changed.witnessed_by
def _string_of_the_other_format(accept: View, reject: View, change: Change, sampler: Sampler,
                                hint: Any) -> Iterable[Any]:
    for name in accept.formats:
        if name in FORMAT_SAMPLES:
            yield FORMAT_SAMPLES[name]
    yield from ("not a valid value", "2020-13-45", "a")


# --- content: what a string carries --------------------------------------------------------------

@rule("content-encoding-changed", action="changed", effect=Effect.BOTH, schema=Severity.DANGEROUS,
      unchecked=True,
      example=({"type": "string", "contentEncoding": "base64"},
               {"type": "string", "contentEncoding": "base32"}))
def content_encoding_changed(d: Details) -> str:
    """The string is encoded another way (``contentEncoding``: base64, base32, ...): what old
    writers encode, new readers decode wrongly, and the other way round. Validators treat it as an
    annotation, so a plain schema reports it as dangerous."""
    return _content_edit(d, "`{}`-encoded", "text is now {}", "text is no longer declared {}")


@rule("content-media-type-changed", action="changed", effect=Effect.BOTH, schema=Severity.DANGEROUS,
      unchecked=True,
      example=({"type": "string", "contentMediaType": "application/json"},
               {"type": "string", "contentMediaType": "image/png"}))
def content_media_type_changed(d: Details) -> str:
    """The string carries another kind of document (``contentMediaType``): decoders built for the
    old one fail on the new one. An annotation to validators, so dangerous in a plain schema."""
    return _content_edit(d, "`{}` content", "text now holds {}", "text is no longer declared to hold {}")


def _content_edit(d: Details, what: str, now: str, no_longer: str) -> str:
    """"text is now `base32`-encoded instead of `base64`-encoded"."""
    if d["old"] is None:
        return now.format(what.format(d["new"]))
    if d["new"] is None:
        return no_longer.format(what.format(d["old"]))
    return f"{now.format(what.format(d['new']))} instead of {what.format(d['old'])}"


@compares
def compare_content(old: View, new: View, walk: Walk, ctx: Context) -> None:
    """The encoding and media type of a string's content, then the schema of the decoded document
    (``contentSchema``), compared like any schema under ``<decoded>``."""
    if not old.content and not new.content:
        return
    for keyword, kind in (("contentEncoding", content_encoding_changed),
                          ("contentMediaType", content_media_type_changed)):
        before, after = old.content.get(keyword), new.content.get(keyword)
        before_value = before.value if before is not None else None
        after_value = after.value if after is not None else None
        if before_value != after_value:
            walk.report(kind, ctx, old_at=at(old, keyword), new_at=at(new, keyword),
                        old=before_value, new=after_value)
    before, after = old.content.get("contentSchema"), new.content.get("contentSchema")
    if before is not None or after is not None:
        walk.descend([before] if before is not None else None, [after] if after is not None else None,
                     ctx.at(DECODED), old_at=old.where, new_at=new.where)
