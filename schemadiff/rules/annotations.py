"""Annotations and the rest: prose, examples, defaults, deprecation, read/write-only, extensions.

None of these change which documents a schema accepts, so they are info, with two exceptions that
API providers recognise: a changed ``default`` changes what the server does for requests that omit
the field, and a field that became read-only is ignored when clients send it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schemadiff.model import Severity
from schemadiff.normalise import canonical
from schemadiff.pairs import pairs
from schemadiff.rules import Details, at, compares, rule, show

if TYPE_CHECKING:
    from schemadiff.context import Context
    from schemadiff.normalise import View
    from schemadiff.rules import Walk


def _edit(noun: str, d: Details) -> str:
    if d["old"] is None:
        return f"{noun} added"
    if d["new"] is None:
        return f"{noun} removed"
    return f"{noun} changed"


@rule("description-changed", action="changed",
      example=({"description": "A name."},
               {"description": "The name."}))
def description_changed(d: Details) -> str:
    """Prose for people; nothing a program relies on."""
    return _edit("description", d)


@rule("title-changed", action="changed",
      example=({"title": "Name"},
               {"title": "Full name"}))
def title_changed(d: Details) -> str:
    """Prose for people; nothing a program relies on."""
    return _edit("title", d)


@rule("example-changed", action="changed",
      example=({"examples": ["ann"]},
               {"examples": ["bob"]}))
def example_changed(d: Details) -> str:
    """Examples illustrate; validators ignore them."""
    return _edit("example", d)


@rule("default-changed", action="changed", request=Severity.DANGEROUS,
      example=({"type": "integer", "default": 10},
               {"type": "integer", "default": 20}))
def default_changed(d: Details) -> str:
    """``default`` is an annotation, but in a request it documents what the server assumes when the
    field is left out: clients that leave it out get different behaviour (dangerous)."""
    if d["old"] is None:
        return f"default {show(d['new'])} added"
    if d["new"] is None:
        return f"default {show(d['old'])} removed"
    return f"default changed from {show(d['old'])} to {show(d['new'])}"


@rule("deprecated", action="changed",
      example=({"type": "string"},
               {"type": "string", "deprecated": True}))
def deprecated(d: Details) -> str:
    """A notice that something will go; it changes nothing yet. Removing it later is the break."""
    return "marked deprecated" if d["new"] else "no longer deprecated"


@rule("read-only-changed", action="changed", request=Severity.DANGEROUS,
      example=({"type": "string"},
               {"type": "string", "readOnly": True}))
def read_only_changed(d: Details) -> str:
    """A field the server now treats as read-only is ignored when clients send it (dangerous in a
    request); as a pure annotation it accepts the same documents."""
    return "now read-only (set by the server; ignored when clients send it)"


@rule("read-only-removed", action="changed", request=Severity.SAFE,
      example=({"type": "string", "readOnly": True},
               {"type": "string"}))
def read_only_removed(d: Details) -> str:
    """Clients may now send a field the server only returned before: nothing they sent changes
    meaning (safe in a request)."""
    return "no longer read-only (clients may set it)"


@rule("write-only-changed", action="changed", response=Severity.DANGEROUS,
      example=({"type": "string"},
               {"type": "string", "writeOnly": True}))
def write_only_changed(d: Details) -> str:
    """A write-only field is not returned: readers that used it lose it (dangerous in a response)."""
    return "now write-only (never returned)"


@rule("write-only-removed", action="changed", response=Severity.SAFE,
      example=({"type": "string", "writeOnly": True},
               {"type": "string"}))
def write_only_removed(d: Details) -> str:
    """The field is now also returned; readers ignore what they do not use (safe in a response)."""
    return "no longer write-only (may be returned)"


@rule("extension-changed", action="changed",
      example=({"x-owner": "team-a"},
               {"x-owner": "team-b"}))
def extension_changed(d: Details) -> str:
    """Extension and unknown keywords are opaque to JSON Schema validation; shown so nothing is
    hidden, described by a generic structural diff."""
    what = f"extra keyword `{d['keyword']}`"
    if d["summary"] in ("added", "removed", "changed"):
        return f"{what} {d['summary']} (not checked by validators)"
    return f"{what} changed: {d['summary']} (not checked by validators)"


def differ(before: Any, after: Any) -> bool:
    """JSON inequality (Python's ``==`` takes ``true`` for ``1``)."""
    return before != after or canonical(before) != canonical(after)


_PROSE = (("description", description_changed), ("title", title_changed),
          ("default", default_changed))


@compares
def compare_annotations(old: View, new: View, walk: Walk, ctx: Context) -> None:
    before_notes, after_notes = old.annotations, new.annotations
    for keyword, kind in _PROSE:
        before, after = before_notes.get(keyword), after_notes.get(keyword)
        if differ(before, after):
            walk.report(kind, ctx, old_at=at(old, keyword), new_at=at(new, keyword), old=before,
                        new=after)
    before = before_notes.get("examples", before_notes.get("example"))
    after = after_notes.get("examples", after_notes.get("example"))
    if differ(before, after):
        keyword_old = "examples" if "examples" in before_notes else "example"
        keyword_new = "examples" if "examples" in after_notes else "example"
        walk.report(example_changed, ctx, old_at=at(old, keyword_old), new_at=at(new, keyword_new),
                    old=before, new=after)
    for keyword, now, no_longer in (("deprecated", deprecated, deprecated),
                                    ("readOnly", read_only_changed, read_only_removed),
                                    ("writeOnly", write_only_changed, write_only_removed)):
        before, after = before_notes.get(keyword) is True, after_notes.get(keyword) is True
        if before == after or (keyword != "deprecated" and ctx.wire is not None):
            continue  # parameters and headers are not read-only or write-only: nothing to judge
        walk.report(now if after else no_longer, ctx, old_at=at(old, keyword),
                    new_at=at(new, keyword), old=before, new=after)


#: DeepDiff's kinds of difference, as (one, several) in words
_DIFFERENCES = {
    "values_changed": ("a value changed", "{} values changed"),
    "type_changes": ("a value changed type", "{} values changed type"),
    "dictionary_item_added": ("a key added", "{} keys added"),
    "dictionary_item_removed": ("a key removed", "{} keys removed"),
    "iterable_item_added": ("an item added", "{} items added"),
    "iterable_item_removed": ("an item removed", "{} items removed"),
    "iterable_item_moved": ("an item moved", "{} items moved"),
    "set_item_added": ("an item added", "{} items added"),
    "set_item_removed": ("an item removed", "{} items removed"),
    "attribute_added": ("an attribute added", "{} attributes added"),
    "attribute_removed": ("an attribute removed", "{} attributes removed"),
}


def summarise(before: Any, after: Any) -> str:
    """A short account of how two opaque values differ, from DeepDiff's report: ``added``,
    ``removed``, ``changed``, or what changed inside (``2 values changed, a key added``)."""
    if before is None:
        return "added"
    if after is None:
        return "removed"
    from deepdiff import DeepDiff  # 0.2 s to import: only when an opaque value changed

    report = DeepDiff(before, after, view="tree")
    parts = []
    for kind, items in sorted(report.items()):
        one, several = _DIFFERENCES.get(kind, (kind.replace("_", " "), "{} " + kind.replace("_", " ")))
        parts.append(one if len(items) == 1 else several.format(len(items)))
    return ", ".join(parts) if parts else "changed"


#: extension keywords that rules of their own compare (values.py)
COMPARED_ELSEWHERE = {"x-extensible-enum"}


@compares
def compare_extensions(old: View, new: View, walk: Walk, ctx: Context) -> None:
    for found in pairs(old.extensions, new.extensions, sort=True):
        keyword, before, after = found.key, found.old, found.new
        if keyword in COMPARED_ELSEWHERE and isinstance(before, list) and isinstance(after, list):
            continue  # both lists: compare_extensible_enum says what changed
        if keyword == "allowEmptyValue" and ctx.wire is not None:
            continue  # a Swagger 2.0 parameter is its own schema: this field is the parameter's
        # (a list added or removed as a whole is shown here, with the values it brought or took)
        if differ(before, after):
            walk.report(extension_changed, ctx, old_at=at(old, keyword), new_at=at(new, keyword),
                        old=before, new=after, keyword=keyword, summary=summarise(before, after))
