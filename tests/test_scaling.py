"""Work that stays linear in the input (issue 15): no cyclic-GC passes over the parsed documents while
a comparison runs. The sweeps that show time and memory per MB and per record are in
benchmarks/bench_all.py (too slow for the suite)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

import schemadiff
from conftest import SEED_NEW, SEED_OLD

STAGES = {"open_side", "build", "compare_apis", "attach", "locate", "judge_policy"}


def test_the_cyclic_collector_waits_until_the_comparison_is_done():
    passes = []

    def count(phase: str, info: dict) -> None:
        """Note each collection that starts inside a stage of the run (reading, model, walk, ...)."""
        if phase != "start":
            return
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_name in STAGES and "schemadiff" in frame.f_code.co_filename:
                passes.append((frame.f_code.co_name, info["generation"]))
                return
            frame = frame.f_back

    gc.collect()
    gc.callbacks.append(count)
    try:
        report = schemadiff.compare(SEED_OLD, SEED_NEW)
    finally:
        gc.callbacks.remove(count)
    assert report.changes
    assert passes == []
    assert gc.isenabled()


#: a pair whose judgement asks the inclusion checker, which validates its witnesses
CHECKED = Path(__file__).parent / "cases" / "combinators" / "condition-changed"


@pytest.mark.parametrize("old, new", [(SEED_OLD, SEED_NEW),
                                      (str(CHECKED / "old.json"), str(CHECKED / "new.json"))],
                         ids=["examples", "inclusion-checker"])
def test_a_comparison_leaves_no_cycles_for_the_collector(old, new):
    """Everything a run builds is freed by reference counting once the report is dropped: a cycle
    left behind (the two sides' samplers pointing at each other; the checker's validator handing
    its registry a method of itself) kept both parsed documents, and the collector's first pass
    after the run walked all of them (80-100 ms on Kubernetes, 0.2 s on GitHub v1 -> v4)."""
    schemadiff.compare(old, new)  # first use: imports and caches settle
    gc.collect()
    gc.disable()
    try:
        report = schemadiff.compare(old, new)
        assert report.changes
        if old == SEED_OLD:
            assert any(change.example for change in report.changes)  # the examples stage ran
        del report
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_part_shared_by_examples_is_validated_once_against_a_subschema(monkeypatch):
    """The examples of one body share their sampled parts (the same owner object in every record
    of a GitHub repository response): a part that passed a subschema is not validated against it
    again, and every verdict and error stays what jsonschema itself says."""
    import jsonschema

    from schemadiff.kinds import plain_normaliser
    from schemadiff.normalise import Node
    from schemadiff.pipeline import open_side
    from schemadiff.settings import resolve
    from schemadiff.verify import Verifier, validator_class

    owner = {"type": "object", "properties": {"login": {"type": "string"}}, "required": ["login"]}
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
              "properties": {"owner": owner, "n": {"type": "integer"}}}
    workspace = open_side(schema, resolve({}), "old", None)
    verifier = Verifier(plain_normaliser(workspace), "old")
    root = Node(workspace.main, "", workspace.main.data)
    shared = {"login": "a"}
    documents = [{"owner": shared, "n": 1}, {"owner": shared, "n": "x"}, {"owner": {"login": 5}},
                 {"owner": shared}]
    cls = validator_class(7)
    entered = []
    descend = cls.descend

    def counting(self, instance, subschema, *args, **kwargs):
        if subschema is workspace.main.data["properties"]["owner"]:
            entered.append(instance)
        return descend(self, instance, subschema, *args, **kwargs)

    monkeypatch.setattr(cls, "descend", counting)
    plain = jsonschema.Draft7Validator(schema)
    for document in documents:
        got = [(list(e.absolute_path), e.message) for e in verifier.errors(root, document)]
        want = [(list(e.absolute_path), e.message) for e in plain.iter_errors(document)]
        assert sorted(got) == sorted(want)
    # the shared owner once, the other owner (which fails) once
    assert entered == [shared, {"login": 5}]
