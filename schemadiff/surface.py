"""Compare two read documents: the API surface first, then every schema through the walk.

Resources are matched by name and endpoints by their key (method and href or path); then each
resource's representation is compared as a response, and each endpoint's parameters and request as a
request and its response as a response. A plain JSON Schema is its root schema, compared under the
chosen compatibility, plus the definitions that nothing refers to, whose changes are info.
"""

from __future__ import annotations

from dataclasses import replace

from schemadiff.diff import Comparison, Context
from schemadiff.load import escape_token
from schemadiff.model import REQUEST, RESPONSE, Api, Endpoint, Resource
from schemadiff.normalise import Node
import schemadiff.rules.annotations as annotation_rules
from schemadiff.rules import api


def compare_apis(old: Api, new: Api, walk: Comparison) -> None:
    if old.root is not None and new.root is not None:
        _compare_plain(old.root, new.root, walk)
    for name in sorted(set(old.resources) | set(new.resources)):
        before, after = old.resources.get(name), new.resources.get(name)
        if before is None:
            _surface(walk, api.resource_added, api.endpoint_added, after, new_side=True)
        elif after is None:
            _surface(walk, api.resource_removed, api.endpoint_removed, before, new_side=False)
        else:
            _compare_resource(before, after, walk)


def _surface(walk: Comparison, resource_rule, endpoint_rule, resource: Resource, new_side: bool):
    """A whole resource appeared or went: one record for it and one per endpoint."""
    def where(pointer):
        return {"old_at": None, "new_at": pointer} if new_side else {"old_at": pointer, "new_at": None}
    ctx = Context(resource=resource.name)
    walk.report(resource_rule, ctx, **where(resource.pointer), name=resource.name)
    for endpoint in resource.endpoints.values():
        walk.report(endpoint_rule, replace(ctx, endpoint=endpoint.label), **where(endpoint.pointer),
                    name=endpoint.label)


def _compare_resource(old: Resource, new: Resource, walk: Comparison) -> None:
    ctx = Context(resource=new.name)
    if old.representation is not None or new.representation is not None:
        walk.schemas(old.representation, new.representation, replace(ctx, direction=RESPONSE),
                     at_old=old.pointer, at_new=new.pointer)
    if old.meta.get("stability") != new.meta.get("stability"):
        walk.report(api.stability_changed, ctx, old_at=f"{old.pointer}/stability",
                    new_at=f"{new.pointer}/stability", old=old.meta.get("stability"),
                    new=new.meta.get("stability"))
    for key in sorted(set(old.endpoints) | set(new.endpoints)):
        before, after = old.endpoints.get(key), new.endpoints.get(key)
        if before is None:
            walk.report(api.endpoint_added, replace(ctx, endpoint=after.label), old_at=None,
                        new_at=after.pointer, name=after.label)
        elif after is None:
            walk.report(api.endpoint_removed, replace(ctx, endpoint=before.label),
                        old_at=before.pointer, new_at=None, name=before.label)
        else:
            _compare_endpoint(before, after, replace(ctx, endpoint=after.label), walk)


def _compare_endpoint(old: Endpoint, new: Endpoint, ctx: Context, walk: Comparison) -> None:
    for attribute, rule in (("title", annotation_rules.title_changed),
                            ("description", annotation_rules.description_changed)):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before != after:
            walk.report(rule, ctx, old_at=f"{old.pointer}/{attribute}",
                        new_at=f"{new.pointer}/{attribute}", old=before, new=after)
    if old.meta.get("rel") != new.meta.get("rel"):
        walk.report(api.endpoint_relation_changed, ctx, old_at=f"{old.pointer}/rel",
                    new_at=f"{new.pointer}/rel", old=old.meta.get("rel"), new=new.meta.get("rel"))
    request = replace(ctx, direction=REQUEST)
    for (_, before), (name, after) in zip(old.params.items(), new.params.items()):
        walk.schemas(before, after, request.at(f"{{{name}}}"))
    if old.request is not None or new.request is not None:
        walk.schemas(old.request, new.request, request, at_old=f"{old.pointer}/schema",
                     at_new=f"{new.pointer}/schema")
    if old.response is not None or new.response is not None:
        walk.schemas(old.response, new.response, replace(ctx, direction=RESPONSE),
                     at_old=f"{old.pointer}/targetSchema", at_new=f"{new.pointer}/targetSchema")


def _definitions(root: Node) -> dict[str, Node]:
    out = {}
    for container in ("definitions", "$defs"):
        value = root.value.get(container) if isinstance(root.value, dict) else None
        if isinstance(value, dict):
            for name, schema in value.items():
                out[f"/{container}/{escape_token(name)}"] = Node(root.doc, f"/{container}/"
                                                                  f"{escape_token(name)}", schema)
    return out


def _compare_plain(old: Node, new: Node, walk: Comparison) -> None:
    ctx = Context()
    walk.schemas(old, new, ctx)
    old_defs, new_defs = _definitions(old), _definitions(new)
    if not old_defs and not new_defs:
        return
    used_old = walk.old.workspace.reachable()
    used_new = walk.new.workspace.reachable()

    def used(pointer: str, reached: set[str]) -> bool:
        return any(p == pointer or p.startswith(pointer + "/") for p in reached)

    quiet = replace(ctx, reachable=False)
    for pointer in sorted(set(old_defs) | set(new_defs)):
        before, after = old_defs.get(pointer), new_defs.get(pointer)
        name = pointer.rsplit("/", 1)[1]
        if before is not None and after is not None:
            if not used(pointer, used_old) and not used(pointer, used_new):
                walk.schemas(before, after, quiet.at(f"<{name}>"))
        elif after is not None and not used(pointer, used_new):
            walk.report(api.definition_added, ctx, old_at=None, new_at=pointer, name=name)
        elif before is not None and not used(pointer, used_old):
            walk.report(api.definition_removed, ctx, old_at=pointer, new_at=None, name=name)
