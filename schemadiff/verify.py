"""Validating documents against one side's schemas with the ``jsonschema`` library, its regexes
and big keywords under the budgets of :mod:`schemadiff.budget`.

Kept apart from :mod:`schemadiff.examples` so that jsonschema and referencing (tens of milliseconds
to import) are loaded only when a record needs an example checked, not for every comparison.
"""

from __future__ import annotations

import json
import re
from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT6, DRAFT7, DRAFT201909, DRAFT202012

from schemadiff import budget
from schemadiff.normalise import Node, Normaliser
from schemadiff.refs import Document

if TYPE_CHECKING:
    from collections.abc import Iterator

    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SPECIFICATIONS = {4: DRAFT4, 6: DRAFT6, 7: DRAFT7, 2019: DRAFT201909, 2020: DRAFT202012}
VALIDATORS = {4: jsonschema.Draft4Validator, 6: jsonschema.Draft6Validator,
              7: jsonschema.Draft7Validator, 2019: jsonschema.Draft201909Validator,
              2020: jsonschema.Draft202012Validator}


# keyword functions get the validator itself (Any: its descend() is not in jsonschema's Validator protocol)
def _strict_properties(validator: Any, strict: Any, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """interagent's ``strictProperties: true``: no property beyond those listed (as schemadiff reads it)."""
    if strict is True and validator.is_type(instance, "object"):
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        if extra:
            yield jsonschema.ValidationError(f"properties not allowed: {', '.join(extra)}")


def _pattern(validator: Any, pattern: Any, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not budget.search(pattern, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


#: while a Verifier validates against a draft-04 to -07 schema: subschema validations that found
#: nothing, ``(id(subschema), instance key, validator class, base URI) -> (subschema, instance)``
_PASSED: ContextVar[dict | None] = ContextVar("schemadiff_passed", default=None)
CACHED_DRAFTS = (4, 6, 7)   # later drafts have dynamic scopes and unevaluated*: not cached


def _descend(validator: Any, instance: Any, schema: Any, path: Any = None,
             schema_path: Any = None) -> Iterator[ValidationError]:
    """``validator.descend``, remembering the subschemas an instance passed. The examples of one
    body share their sampled parts (the same owner, repository, ...), so the same part was
    validated against the same subschema for every record of that body (GitHub v1 -> v4: most
    of the examples stage). Before 2019-09 whether a value passes a subschema depends on the two
    alone (and on the base URI its references resolve against, part of the key); a part that
    fails is validated again each time, so every error comes out as before."""
    passed = _PASSED.get()
    if passed is None or not isinstance(schema, dict):
        yield from validator.descend(instance, schema, path=path, schema_path=schema_path)
        return
    held = isinstance(instance, (dict, list))
    resolver = getattr(validator, "_resolver", None)
    key = (id(schema), id(instance) if held else (type(instance), instance),
           type(validator), getattr(resolver, "_base_uri", None))
    hit = passed.get(key)
    if hit is not None and hit[0] is schema and hit[1] is (instance if held else None):
        return
    failed = False
    for error in validator.descend(instance, schema, path=path, schema_path=schema_path):
        failed = True
        yield error
    if not failed:   # the values stay held: their ids are not reused while the key is kept
        passed[key] = (schema, instance if held else None)


def _properties(validator: Any, properties: Any, instance: Any, schema: dict) -> Iterator[ValidationError]:
    """``properties``, walking whichever is smaller, the schema's list or the document's: an
    example holds a few properties, a schema may list twenty thousand (each example validated
    against all of them made a big schema quadratic)."""
    if not validator.is_type(instance, "object"):
        return
    names = instance if len(instance) < len(properties) else properties
    for name in [n for n in names if n in properties and n in instance]:
        yield from _descend(validator, instance[name], properties[name], path=name, schema_path=name)


def _pattern_properties(validator: Any, patterns: Any, instance: Any,
                        schema: dict) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for name, value in instance.items():
            if budget.search(pattern, name):
                yield from _descend(validator, value, subschema, path=name, schema_path=pattern)


def _additional(instance: dict, schema: dict) -> list[str]:
    """The document's properties that neither ``properties`` nor ``patternProperties`` cover."""
    listed = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    return [name for name in instance if name not in listed
            and not any(budget.search(pattern, name) for pattern in patterns)]


def _additional_properties(validator: Any, additional: Any, instance: Any,
                           schema: dict) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    extras = _additional(instance, schema)
    if validator.is_type(additional, "object"):
        for name in extras:
            yield from _descend(validator, instance[name], additional, path=name)
    elif additional is False and extras:
        yield jsonschema.ValidationError(f"additional properties are not allowed: "
                                         f"{', '.join(sorted(extras))}")


def _plainly_refuses(validator: Any, branch: Any, instance: Any) -> bool:
    """A quick look at a branch's own ``type`` and ``required`` (never past a ``$ref``, whose
    siblings older drafts ignore): True only when the branch cannot accept the instance."""
    if not isinstance(branch, dict) or "$ref" in branch:
        return False
    types = branch.get("type")
    if isinstance(types, str):
        types = [types]
    if isinstance(types, list) and all(isinstance(t, str) for t in types) and types and not any(
            t in ("null", "boolean", "object", "array", "number", "integer", "string")
            and validator.is_type(instance, t) for t in types):
        return True
    required = branch.get("required")
    return isinstance(required, list) and isinstance(instance, dict) and any(
        isinstance(name, str) and name not in instance for name in required)


def _accepting_branches(validator: Any, branches: list, instance: Any, enough: int) -> int:
    """How many branches accept the instance, counting up to ``enough``. A choice between K
    branches is checked for every example, so the branches that plainly refuse are not walked."""
    found = 0
    for index, branch in enumerate(branches):
        if _plainly_refuses(validator, branch, instance):
            continue
        if next(_descend(validator, instance, branch, schema_path=index), None) is None:
            found += 1
            if found >= enough:
                break
    return found


def _any_of(validator: Any, branches: Any, instance: Any, schema: dict) -> Iterator[ValidationError]:
    if not _accepting_branches(validator, branches, instance, 1):
        yield jsonschema.ValidationError(f"{instance!r} is not valid under any of the given schemas")


def _one_of(validator: Any, branches: Any, instance: Any, schema: dict) -> Iterator[ValidationError]:
    found = _accepting_branches(validator, branches, instance, 2)
    if found != 1:
        yield jsonschema.ValidationError(f"{instance!r} is valid under {'none' if not found else 'more'}"
                                         " of the given schemas than one")


#: keywords replaced so that every schema-supplied regex runs through budget.search, and big
#: ``properties``, ``anyOf`` and ``oneOf`` cost what the document touches
BUDGETED = {"pattern": _pattern, "properties": _properties, "patternProperties": _pattern_properties,
            "additionalProperties": _additional_properties, "anyOf": _any_of, "oneOf": _one_of}


def _null_allowed(keyword: Any) -> Any:
    """A keyword of OpenAPI 3.0's dialect: a schema with ``nullable: true`` takes null whatever
    its other keywords say (``{nullable: true, allOf: [{$ref: X}]}`` is "X or null"), as the
    normaliser reads it; a validator of plain JSON Schema would refuse every such example."""
    def check(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if instance is None and isinstance(schema, dict) and schema.get("nullable") is True:
            return
        found = keyword(validator, value, instance, schema)
        if found:
            yield from found
    return check


def validator_class(draft: int, nullable: bool = False) -> type[Validator]:
    """The validator of a draft with the budgeted keywords; ``nullable``: OpenAPI 3.0's reading
    of ``nullable: true``. One class per (draft, dialect), however it is asked for."""
    return _validator_class(draft, bool(nullable))


@cache
def _validator_class(draft: int, nullable: bool) -> type[Validator]:
    base = VALIDATORS[draft]
    keywords: dict[str, Any] = {"strictProperties": _strict_properties, **BUDGETED}
    if nullable:
        keywords = {name: _null_allowed(keyword)
                    for name, keyword in {**base.VALIDATORS, **keywords}.items()}
    return jsonschema.validators.extend(base, keywords)


class Verifier:
    """Validates documents against schemas at places in one side's documents, resolving ``$ref``s
    inside those documents only (the registry holds nothing else, so nothing is fetched)."""

    def __init__(self, side: Normaliser, label: str):
        self.side = side
        self.label = label
        self._registry: Registry | None = None
        self._validators: dict[str, Any] = {}
        self._verdicts: dict[tuple, list | None] = {}   # (root's place, document) -> errors
        self._passed: dict[tuple, tuple] = {}   # see _descend

    def _uri(self, doc: Document) -> str:
        return f"urn:schemadiff:{self.label}:{doc.source.key or doc.label}"

    def registry(self) -> Registry:
        if self._registry is None:
            resources = []
            for doc in self.side.workspace.documents():
                resource = Resource(contents=doc.data, specification=SPECIFICATIONS[doc.draft])
                resources.append((self._uri(doc), resource))
                resources.append((doc.uri, resource))
            self._registry = Registry().with_resources(resources)
        return self._registry

    def accepts(self, root: Node, document: Any) -> bool | None:
        """True or False, or None when the schema cannot be evaluated (an unresolvable reference)."""
        errors = self.errors(root, document)
        return None if errors is None else not errors

    def errors(self, root: Node, document: Any) -> list | None:
        """Why the schema at ``root`` refuses the document (empty: it accepts), or None if unknown.
        Each pair of schema and document is validated once, within VALIDATION_SECONDS."""
        # the document's text as it is (1 and 1.0 apart: a draft-04 integer is not 1.0), not
        # normalise.canonical, whose number pass cost as much as the dump
        key = (root.where, root.value is True,
               json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
        if key not in self._verdicts:
            self._verdicts[key] = self._validate(root, document)
        return self._verdicts[key]

    def _validate(self, root: Node, document: Any) -> list | None:
        if root.value is True:
            return []
        if root.value is False:
            return [jsonschema.ValidationError("false schema", validator="false")]
        try:
            root.doc.at(root.pointer)
        except KeyError:
            return None  # a schema made up on the way in (Swagger formData): nothing to point at
        token = _PASSED.set(self._passed if root.doc.draft in CACHED_DRAFTS else None)
        try:
            validator = self._validator(root)  # set up once, outside the validation's limit
            with budget.time_limit(budget.VALIDATION_SECONDS, budget.OverBudget):
                return list(validator.iter_errors(document))
        except (Unresolvable, jsonschema.exceptions.SchemaError, jsonschema.exceptions.UnknownType,
                RecursionError, re.error, ValueError, LookupError, TypeError):
            return None   # a schema the validator cannot read (``type: [null]``): no verdict
        finally:
            _PASSED.reset(token)

    def _validator(self, root: Node) -> Validator:
        """A validator for the schema at ``root``, its reference looked up once, not once per
        document (half the cost of validating a small example)."""
        validator = self._validators.get(root.where)
        if validator is None:
            cls = validator_class(root.doc.draft, self.side.nullable_keyword)
            address = f"{self._uri(root.doc)}#{root.pointer}"
            try:
                found = self.registry().resolver().lookup(address)
                validator = cls(found.contents, registry=self.registry(),
                                format_checker=cls.FORMAT_CHECKER,
                                _resolver=found.resolver)  # type: ignore[call-arg]  # not in the protocol
            except TypeError:  # a jsonschema that takes no resolver: let it follow the reference
                validator = cls({"$ref": address}, registry=self.registry(),
                                format_checker=cls.FORMAT_CHECKER)
            self._validators[root.where] = validator
        return validator
