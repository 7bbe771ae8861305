"""The field path: where in the instance a change is, as typed steps.

A record's field (``updates[].type``, ``{*}``, ``<200>.items[]``) is a tuple of steps, never text
to parse: markers (``[]``, ``{*}``, ``<then>``, ...) and property names live in different classes,
so a property literally named ``{*}`` is a :class:`Property` (shown ``["{*}"]``, given its own
example), not "any other property". Each kind of step answers the questions the stages ask:

* ``text`` / :func:`field_text`: what a reader sees (the JSON contract's ``field``);
* ``placeable``: can an example document be built through it (a body, not a parameter);
* ``matches(key)`` and ``same_instance``: does a validator error's path go through it;
* :func:`from_schema_pointer`: the steps a schema pointer describes.

How an example is placed through each step is :mod:`schemadiff.examples`' business (it dispatches
on the class).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from schemadiff.load import unescape_token

#: the first characters of every marker: a property name starting with one is quoted
_MARKER_STARTS = frozenset("[{<")


class Step:
    """One step of a field path. Subclasses are frozen records; the class says what kind of step.
    ``text`` is what a reader sees of it (a class attribute where it never varies)."""

    __slots__ = ()
    #: can an example document be built through this step (False: a parameter's or header's
    #: value, property names, ...: nothing a body holds)
    placeable: ClassVar[bool] = True
    #: applies to the same instance as the step before it (a condition's branch, a dependent
    #: schema): a validator's error path has no key for it
    same_instance: ClassVar[bool] = False

    @property
    def text(self) -> str:
        raise NotImplementedError

    def matches(self, key: Any) -> bool:
        """Does the key of a validator error's path (a name or an index) go through this step?
        Markers for places the instance does not name match any key."""
        return True


def _name_text(name: str) -> str:
    """A name as displayed: itself, or JSON-quoted in brackets where it would read as a marker."""
    return f"[{json.dumps(name, ensure_ascii=False)}]" if name[:1] in _MARKER_STARTS else name


@dataclass(frozen=True, slots=True)
class Named(Step):
    """A step the instance or the document names: shown as the name, after a dot when another
    step comes before (``a.name``), and as ``["{*}"]`` where the name would read as a marker."""
    name: str

    @property
    def text(self) -> str:
        return _name_text(self.name)


@dataclass(frozen=True, slots=True)
class Property(Named):
    """A named property of an object."""

    def matches(self, key: Any) -> bool:
        return key == self.name


@dataclass(frozen=True, slots=True)
class Component(Named):
    """A component schema (``#/components/schemas/card``) that no operation uses: the field
    starts at its name, above the document (like a response's status)."""


@dataclass(frozen=True, slots=True)
class Item(Step):
    """Any item of an array (``[]``)."""
    text: ClassVar[str] = "[]"

    def matches(self, key: Any) -> bool:
        return isinstance(key, int)


@dataclass(frozen=True, slots=True)
class Position(Step):
    """One position of a tuple (``[0]``)."""
    index: int

    @property
    def text(self) -> str:
        return f"[{self.index}]"

    def matches(self, key: Any) -> bool:
        return isinstance(key, int) and key == self.index


@dataclass(frozen=True, slots=True)
class Additional(Step):
    """Any property the schema does not name (``{*}``, ``additionalProperties``)."""
    text: ClassVar[str] = "{*}"


@dataclass(frozen=True, slots=True)
class Pattern(Step):
    """A property whose name matches a pattern (``{/^x-/}``, ``patternProperties``)."""
    pattern: str

    @property
    def text(self) -> str:
        return f"{{/{self.pattern}/}}"


@dataclass(frozen=True, slots=True)
class Dependent(Step):
    """The schema a present property brings in (``<with name>``, ``dependentSchemas``)."""
    name: str
    same_instance: ClassVar[bool] = True

    @property
    def text(self) -> str:
        return f"<with {self.name}>"


@dataclass(frozen=True, slots=True)
class Branch(Step):
    """A condition's branch (``<then>``, ``<else>``)."""
    which: str    # "then" or "else"
    same_instance: ClassVar[bool] = True

    @property
    def text(self) -> str:
        return f"<{self.which}>"


@dataclass(frozen=True, slots=True)
class Keyword(Step):
    """A subschema that applies to something the instance does not name by key: ``<contains>``
    (some item), ``<decoded>`` (a string's decoded content); no example is placed through it."""
    keyword: str

    @property
    def text(self) -> str:
        return f"<{self.keyword}>"


@dataclass(frozen=True, slots=True)
class UnevaluatedProperties(Step):
    """Properties no other keyword evaluated (``{unevaluated}``): no example is placed there."""
    text: ClassVar[str] = "{unevaluated}"
    placeable: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class UnevaluatedItems(Step):
    """Items no other keyword evaluated (``[unevaluated]``)."""
    text: ClassVar[str] = "[unevaluated]"

    def matches(self, key: Any) -> bool:
        return isinstance(key, int)


@dataclass(frozen=True, slots=True)
class PropertyNames(Step):
    """The names of an object's properties (``{names}``, ``propertyNames``): no document place."""
    text: ClassVar[str] = "{names}"
    placeable: ClassVar[bool] = False


@dataclass(frozen=True, slots=True)
class ParameterValue(Step):
    """A parameter's or header's value (``{query limit}``, ``{header ETag}``; a hyper-schema
    link's path variable is ``{name}``): text on the wire, not inside a body."""
    location: str | None
    name: str
    placeable: ClassVar[bool] = False

    @property
    def text(self) -> str:
        return f"{{{self.location} {self.name}}}" if self.location else f"{{{self.name}}}"


@dataclass(frozen=True, slots=True)
class Status(Step):
    """A response's status (``<200>``): above the body."""
    status: str

    @property
    def text(self) -> str:
        return f"<{self.status}>"


@dataclass(frozen=True, slots=True)
class Definition(Step):
    """A hyper-schema definition nothing refers to (``<name>``): above the document."""
    name: str

    @property
    def text(self) -> str:
        return f"<{self.name}>"


ITEM = Item()
ADDITIONAL = Additional()
PROPERTY_NAMES = PropertyNames()
THEN, ELSE = Branch("then"), Branch("else")
CONTAINS, DECODED = Keyword("contains"), Keyword("decoded")
UNEVALUATED_PROPERTIES, UNEVALUATED_ITEMS = UnevaluatedProperties(), UnevaluatedItems()

#: a field path, outermost step first
Path = tuple[Step, ...]

#: every kind of step
KINDS: tuple[type[Step], ...] = (
    Property, Component, Item, Position, Additional, Pattern, Dependent, Branch, Keyword,
    UnevaluatedProperties, UnevaluatedItems, PropertyNames, ParameterValue, Status, Definition)
#: the kinds no example goes through (the walk asks per record and per meeting of a shared
#: definition: a set of classes answers without a call per step)
_UNPLACEABLE = frozenset(kind for kind in KINDS if not kind.placeable)


def field_text(steps: Path) -> str | None:
    """The field as people and the JSON contract read it: ``updates[].type``, ``{*}.id``,
    ``box["<then>"]`` (a name is JSON-quoted in brackets where it would read as a marker)."""
    out = ""
    for step in steps:
        if isinstance(step, Named) and step.name[:1] not in _MARKER_STARTS:
            out = f"{out}.{step.name}" if out else step.name
        else:
            out += step.text
    return out or None


def placeable(steps: Path) -> bool:
    """Can an example document be built along these steps (a body, not a path parameter)?"""
    return _UNPLACEABLE.isdisjoint(map(type, steps))


def in_instance(steps: Path) -> Path:
    """The steps a validator's error path has keys for: a condition's branch or a dependent
    schema applies to the instance the step before it reached."""
    return tuple(step for step in steps if not step.same_instance)


def from_schema_pointer(pointer: str) -> Path:
    """The instance field a schema pointer describes: ``/properties/a/items/properties/b/maxLength``
    is ``a[].b``. Stops at the first token that is not a way into the instance."""
    tokens = [unescape_token(t) for t in pointer.split("/")[1:]]
    steps: list[Step] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token == "properties" and following is not None:
            steps.append(Property(following))
            index += 2
        elif token in ("items", "prefixItems") and following is not None and following.isdigit():
            steps.append(Position(int(following)))
            index += 2
        elif token in ("items", "additionalItems"):
            steps.append(ITEM)
            index += 1
        elif token == "additionalProperties":
            steps.append(ADDITIONAL)
            index += 1
        elif token == "patternProperties" and following is not None:
            steps.append(Pattern(following))
            index += 2
        elif token in ("allOf", "anyOf", "oneOf") and following is not None:
            index += 2
        else:
            break
    return tuple(steps)
