"""The validator the inclusion checker confirms its witnesses with, apart from side.py so that
asking a question imports jsonschema only when a document must be validated."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from schemadiff.errors import InputError
from schemadiff.normalise import Node
from schemadiff.verify import SPECIFICATIONS, Verifier

if TYPE_CHECKING:
    from schemadiff.refs import Workspace


class Probe(Verifier):
    """The project's validator (:class:`~schemadiff.verify.Verifier`) for one side, with two
    guarantees the inclusion checker needs: a reference to a file the workspace has not opened yet
    is opened through the workspace (confined to the schema's folder, never the network), and a
    node that is not really in its document (a stand-in made up on the way in) is never validated
    as if it were."""

    def registry(self) -> Registry:
        if self._registry is None:
            resources: list[tuple[str, Resource]] = []
            for doc in self.side.workspace.documents():
                resource = Resource(contents=doc.data, specification=SPECIFICATIONS[doc.draft])
                resources.extend(((self._uri(doc), resource), (doc.uri, resource)))
            # the workspace, not this probe, goes into the registry: a bound method there would
            # make a cycle (probe -> registry -> probe) that keeps both parsed documents for the
            # cyclic collector (GitHub v1 -> v4: 136,000 objects, 0.1 s after the run)
            retrieve = partial(_retrieve, self.side.workspace)
            self._registry = Registry(retrieve=retrieve).with_resources(resources)
        return self._registry

    def check(self, node: Node, document: Any) -> bool | None:
        """Does the schema at ``node`` accept the document? None when it cannot be told."""
        if node.value is True or node.value is False:
            return node.value
        try:
            real = node.doc.at(node.pointer) is node.value
        except KeyError:
            real = False
        if not real:
            return None
        return self.accepts(node, document)


def _retrieve(workspace: Workspace, uri: str) -> Resource:
    """A file the workspace has not opened yet, opened through it (confined to the schema's
    folder, never the network)."""
    try:
        target = workspace.resolve(uri, workspace.main, "")
    except (InputError, LookupError, OSError, ValueError) as err:
        raise NoSuchResource(ref=uri) from err
    if isinstance(target, str):
        raise NoSuchResource(ref=uri)
    return Resource(contents=target.doc.data, specification=SPECIFICATIONS[target.doc.draft])
