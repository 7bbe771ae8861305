"""Hostile inputs (issue 9): the new schema, the files beside it and the work tree are written by the
person the gate checks. Each attack is a small input built here; each must end in exit 2 with one
line naming the file (and line where known), never a traceback, never exit 0 or 1 by reading
something else than what was named, and within a few seconds."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED_NEW, SEED_OLD, git, run_cli

#: each case must finish within this much CPU time (the CLI starts in ~0.5 s); CPU time, not wall
#: time, so that other jobs on a shared machine do not fail the test, while a blocked read (a FIFO)
#: still fails on the wall-clock timeout
LIMIT_CPU_SECONDS = 5
LIMIT_WALL_SECONDS = 60

OPENAPI_OLD = """\
openapi: "3.0.3"
info: {title: Pets, version: "1.0.0"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: {type: integer}
                  name: {type: string}
  /pets/{id}:
    delete:
      responses:
        "204": {description: gone}
"""
#: the honest new version: an operation removed and a required response property removed
OPENAPI_NEW = """\
openapi: "3.0.3"
info: {title: Pets, version: "1.0.0"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: integer}
"""


def timed(*args: str, cwd: Path | None = None, stdin: str | None = None):
    """Run the CLI and check the case stays within its time limits."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_cli(*args, cwd=cwd or ROOT, stdin=stdin, timeout=LIMIT_WALL_SECONDS)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert cpu < LIMIT_CPU_SECONDS, f"took {cpu:.1f} s of CPU"
    return result


def refused(result, *needles: str) -> str:
    """Exit 2 with one line on standard error that holds every needle; returns that line."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("schemadiff: error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


# --- kinds are declared, not guessed ----------------------------------------------------------------

def test_the_honest_openapi_change_is_breaking(tmp_path):
    result = timed("diff", write(tmp_path, "old.yaml", OPENAPI_OLD),
                   write(tmp_path, "new.yaml", OPENAPI_NEW))
    assert result.returncode == 1
    assert "3 breaking" in result.stdout


def test_an_unquoted_openapi_version_is_an_input_error_naming_its_line(tmp_path):
    new = write(tmp_path, "new.yaml", OPENAPI_NEW.replace('openapi: "3.0.3"', "openapi: 3.0"))
    line = refused(timed("diff", write(tmp_path, "old.yaml", OPENAPI_OLD), new),
                   "new.yaml:1:", "openapi version 3.0 is not a string")
    assert 'openapi: "3.0"' in line


def test_a_swagger_version_that_is_a_number_is_an_input_error(tmp_path):
    old = write(tmp_path, "old.json", '{"swagger": "2.0", "paths": {}}')
    new = write(tmp_path, "new.json", '{"swagger": 2.0, "paths": {}}')
    refused(timed("diff", old, new), "new.json:1:", "swagger version 2.0 is not a string")


def test_deleting_the_openapi_key_does_not_compare_as_plain_json_schema(tmp_path):
    new = write(tmp_path, "new.yaml", OPENAPI_NEW.replace('openapi: "3.0.3"\n', ""))
    refused(timed("diff", write(tmp_path, "old.yaml", OPENAPI_OLD), new),
            "new.yaml", "old side is read as openapi", "new side as jsonschema", "--kind")


def test_a_hyperschema_against_a_plain_schema_is_refused(tmp_path):
    new = write(tmp_path, "new.json", '{"type": "object"}')
    refused(timed("diff", SEED_OLD, new), "hyperschema", "jsonschema")


def test_the_heroku_pair_forced_as_openapi_is_refused_not_identical():
    refused(timed("diff", SEED_OLD, SEED_NEW, "--kind", "openapi"),
            "platform-api-0.5.0.json", "--kind openapi does not fit",
            "no openapi or swagger key and no paths")


def test_a_forced_kind_compares_both_sides_as_that_kind(tmp_path):
    """A fragment with paths but no version key is an OpenAPI description when the user says so."""
    new = write(tmp_path, "new.yaml", OPENAPI_NEW.replace('openapi: "3.0.3"\n', ""))
    result = timed("diff", write(tmp_path, "old.yaml", OPENAPI_OLD), new, "--kind", "openapi")
    assert result.returncode == 1, result.stderr
    assert "3 breaking" in result.stdout


def test_an_openapi_document_forced_as_a_plain_schema_is_refused(tmp_path):
    old = write(tmp_path, "old.yaml", OPENAPI_OLD)
    refused(timed("diff", old, write(tmp_path, "new.yaml", OPENAPI_NEW), "--kind", "jsonschema"),
            "old.yaml", "--kind jsonschema does not fit", "OpenAPI")


# --- heroics heredocs -------------------------------------------------------------------------------

def test_a_heredoc_smuggled_into_yaml_is_read_as_yaml(tmp_path):
    """The old schema inside a description must not stand in for the changed file."""
    old = write(tmp_path, "old.yaml", OPENAPI_OLD)
    smuggled = OPENAPI_OLD.replace("  /pets:\n", "", 1)  # any text: it is only a description here
    body = "\n".join("    " + line for line in ["<<HEROICS_SCHEMA", *smuggled.splitlines(),
                                                   "HEROICS_SCHEMA"])
    new = write(tmp_path, "new.yaml", OPENAPI_NEW.replace(
        "info: {title: Pets, version: \"1.0.0\"}",
        f"info:\n  title: Pets\n  version: \"1.0.0\"\n  description: |\n{body}"))
    result = timed("diff", old, new)
    assert result.returncode == 1, result.stderr
    assert "3 breaking" in result.stdout


def test_a_yaml_file_that_mentions_heroics_schema_is_plain_yaml(tmp_path):
    old = write(tmp_path, "old.yaml", "type: object\ndescription: see HEROICS_SCHEMA\n")
    result = timed("diff", old, write(tmp_path, "new.yaml", "type: object\n"))
    assert result.returncode == 0, result.stderr


def test_a_ruby_client_is_still_read_through_its_heredoc(tmp_path):
    client = ("module Pets\n  SCHEMA = Heroics::Schema.new(MultiJson.load(<<-'HEROICS_SCHEMA'))\n"
              '{"type": "object", "required": ["id"]}\n  HEROICS_SCHEMA\nend\n')
    old = write(tmp_path, "client.rb", client)
    result = timed("diff", old, write(tmp_path, "new.json", '{"type": "object"}'))
    assert result.returncode == 0, result.stderr  # a required property dropped: a widening


def test_the_heredoc_scan_is_linear(tmp_path):
    """440 KB of openers without a closer took minutes with the old lazy regex (quadratic)."""
    unit = "<<HEROICS_SCHEMA\n"
    client = write(tmp_path, "client.rb", unit * (440_000 // len(unit)))
    refused(timed("diff", client, client), "client.rb", "no HEROICS_SCHEMA heredoc")


# --- files that are not files -----------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "new.json")
    old = write(tmp_path, "old.json", "{}")
    refused(timed("diff", old, str(tmp_path / "new.json")), "new.json", "not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_symlink_to_dev_zero_is_refused(tmp_path):
    (tmp_path / "new.json").symlink_to("/dev/zero")
    old = write(tmp_path, "old.json", "{}")
    refused(timed("diff", old, str(tmp_path / "new.json")), "new.json", "outside its folder")
    refused(timed("diff", old, str(tmp_path / "new.json"), "--allow-outside-refs"),
            "new.json", "not a regular file")


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "new.json"
    with big.open("wb") as stream:
        stream.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    refused(timed("diff", write(tmp_path, "old.json", "{}"), str(big)), "new.json", "64 MiB")


def test_a_symlinked_schema_is_confined_to_its_own_folder(tmp_path):
    """``api/schema.json -> ../private/schema.json`` must not make ``private/`` the root from which
    the schema's relative references (``secret.json``) are read."""
    write(tmp_path, "private/secret.json", '{"title": "the token is hunter2"}')
    write(tmp_path, "private/schema.json", '{"$ref": "secret.json"}')
    (tmp_path / "api").mkdir()
    (tmp_path / "api/schema.json").symlink_to("../private/schema.json")
    old = write(tmp_path, "api/old.json", "{}")
    line = refused(timed("diff", old, str(tmp_path / "api/schema.json")),
                   "api/schema.json", "symbolic link to a file outside its folder")
    assert "hunter2" not in line


def test_a_symlink_inside_the_folder_is_read(tmp_path):
    write(tmp_path, "api/versions/v2.json", '{"type": "object"}')
    (tmp_path / "api/current.json").symlink_to("versions/v2.json")
    result = timed("diff", write(tmp_path, "api/old.json", '{"type": "object"}'),
                   str(tmp_path / "api/current.json"))
    assert result.returncode == 0, result.stderr


# --- revisions --------------------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository with two commits of api/schema.json (the second removes a property) and a
    committed symbolic link to /dev/zero."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    write(folder, "api/schema.json", '{"type": "object", "properties": {"a": {}, "b": {}},'
                                     ' "additionalProperties": false}')
    (folder / "api/zero.json").symlink_to("/dev/zero")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "one")
    write(folder, "api/schema.json", '{"type": "object", "properties": {"a": {}},'
                                     ' "additionalProperties": false}')
    git(folder, "commit", "-q", "-am", "two")
    return folder


def test_a_revision_reads_from_git(repo):
    result = timed("diff", "HEAD~1:api/schema.json", "api/schema.json", cwd=repo)
    assert result.returncode == 1, result.stderr


def test_a_work_tree_file_named_like_a_revision_is_never_read_as_the_base(repo):
    """The pull request adds ``origin/main:api/schema.json`` (a copy of the new schema) to the
    work tree; the base revision is missing: an error naming it, not "identical"."""
    write(repo, "origin/main:api/schema.json", (repo / "api/schema.json").read_text())
    line = refused(timed("diff", "origin/main:api/schema.json", "api/schema.json", cwd=repo),
                   "unknown revision 'origin/main'", "./origin/main:api/schema.json")
    result = timed("diff", "./origin/main:api/schema.json", "api/schema.json", cwd=repo)
    assert result.returncode == 0 and "identical" in result.stdout, line  # asked for explicitly


def test_a_shallow_clone_says_how_to_fetch_the_base(repo, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
                   check=True, capture_output=True)
    refused(timed("diff", "HEAD~1:api/schema.json", "api/schema.json", cwd=shallow),
            "HEAD~1:api/schema.json", "unknown revision 'HEAD~1'", "shallow clone",
            "fetch-depth: 0")


@pytest.mark.parametrize("revision", ["HEAD@{1000}", "@{-1}", "HEAD~99", "no-such-branch",
                                      "HEAD^{tree}"])
def test_every_unreadable_revision_is_one_line(repo, revision):
    refused(timed("diff", f"{revision}:api/schema.json", "api/schema.json", cwd=repo),
            f"unknown revision {revision!r}")


def test_a_revision_that_looks_like_an_option_is_refused(repo):
    refused(timed("diff", "--", "--output=x:api/schema.json", "api/schema.json", cwd=repo),
            "not a revision: '--output=x'")


def test_a_committed_symlink_is_refused(repo):
    refused(timed("diff", "HEAD:api/zero.json", "api/schema.json", cwd=repo),
            "HEAD:api/zero.json", "symbolic link")


def test_check_with_an_unknown_revision_is_an_error(repo):
    refused(timed("check", "--rev", "nonexistent", "api/schema.json", cwd=repo),
            "unknown revision 'nonexistent'")


def test_check_skips_files_the_revision_does_not_have(repo):
    write(repo, "api/new.json", "{}")
    result = timed("check", "--rev", "HEAD~1", "api/schema.json", "api/new.json", cwd=repo)
    assert result.returncode == 1, result.stderr  # schema.json lost a property; new.json is new


def test_a_revision_outside_a_repository_is_one_line(tmp_path):
    write(tmp_path, "new.json", "{}")
    refused(timed("diff", "HEAD:new.json", "new.json", cwd=tmp_path), "not a git repository")


# --- documents JSON cannot hold ---------------------------------------------------------------------

OLD_PLAIN = '{"type": "object"}'


@pytest.mark.parametrize("name, text, needles", [
    ("new.json", '{"type": "object",\n "title": "x",\n "type": "string"}',
     ["new.json:3:2:", "'type' appears twice (first at line 1)"]),
    ("new.yaml", "type: object\nproperties:\n  a: {}\n  b: {}\n  a: {type: string}\n",
     ["new.yaml:5:3:", "'a' appears twice (first at line 3)"]),
    ("new.yaml", "type: object\n200: a\n'200': b\n", ["new.yaml:3:1:", "'200' appears twice"]),
    ("new.yaml", "type: object\ndefault: !!binary aGVsbG8=\n", ["new.yaml:2:10:", "binary"]),
    ("new.yaml", "type: object\ndefault: !!timestamp 2001-12-14\n", ["new.yaml:2:10:", "timestamp"]),
    ("new.yaml", "type: object\ndefault: !!set {a, b}\n", ["new.yaml:2:10:", "set"]),
    ("new.yaml", "type: object\ndefault: !!omap [a: 1]\n", ["new.yaml:2:10:", "omap"]),
    ("new.yaml", "type: object\ndefault: !!python/object/apply:os.system [id]\n",
     ["new.yaml:2:10:", "python/object"]),
    ("new.yaml", "type: number\nmaximum: .nan\n", ["new.yaml:2:10:", "not a JSON number"]),
    ("new.yaml", "type: number\nmaximum: -.inf\n", ["new.yaml:2:10:", "not a JSON number"]),
    ("new.yaml", "type: number\nmaximum: 1.0e+999\n", ["new.yaml:2:10:", "not a JSON number"]),
    ("new.json", '{"type": "number", "maximum": NaN}', ["new.json", "NaN is not a JSON number"]),
    ("new.json", '{"type": "number", "maximum": -Infinity}', ["new.json", "-Infinity"]),
    ("new.json", '{"type": "number", "maximum": 1e999}', ["new.json", "too large"]),
    ("new.yaml", "type: number\nmaximum: " + "9" * 5000 + "\n", ["new.yaml:2:10:", "too long"]),
    ("new.json", '{"type": "number", "maximum": ' + "9" * 5000 + "}", ["new.json", "digits"]),
])
def test_values_json_cannot_hold_are_input_errors(tmp_path, name, text, needles):
    refused(timed("diff", write(tmp_path, "old.json", OLD_PLAIN), write(tmp_path, name, text)),
            *needles)


def test_yaml_merge_keys_may_still_override(tmp_path):
    new = write(tmp_path, "new.yaml", "definitions:\n  base: &base {type: object, title: a}\n"
                                      "  item:\n    <<: *base\n    title: b\ntype: object\n")
    assert timed("diff", write(tmp_path, "old.json", OLD_PLAIN), new).returncode == 0


@pytest.mark.parametrize("text, needles", [
    ('{"$ref": "#"}', ["new.json:1:2:", "$ref cycle with no schema in between: # -> #"]),
    ('{"$ref": "#/definitions/a", "definitions": {"a": {"$ref": "#/definitions/b"},\n'
     ' "b": {"$ref": "#/definitions/a"}}}',
     ["$ref cycle", "#/definitions/a -> #/definitions/b -> #/definitions/a"]),
    ('{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"x": '
     '{"$ref": "#/definitions/a"}}, "definitions": {"a": {"$ref": "#/definitions/a", "type": 1}}}',
     ["$ref cycle", "#/definitions/a -> #/definitions/a"]),
])
def test_a_ref_cycle_with_no_schema_in_between_is_an_input_error(tmp_path, text, needles):
    old = write(tmp_path, "old.json", '{"properties": {"x": {"type": "string"}}}')
    refused(timed("diff", old, write(tmp_path, "new.json", text)), *needles)


def test_a_recursive_schema_is_not_a_cycle(tmp_path):
    """A reference back to a schema that has content of its own is recursion, not a cycle."""
    tree = '{"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}}'
    result = timed("diff", write(tmp_path, "old.json", tree), write(tmp_path, "new.json", tree))
    assert result.returncode == 0, result.stderr


def test_standard_input_gets_the_same_checks(tmp_path):
    result = timed("diff", write(tmp_path, "old.json", OLD_PLAIN), "-",
                   stdin='{"type": "object", "type": "string"}')
    refused(result, "<stdin>:1:", "appears twice")


def test_no_traceback_for_an_old_side_error_either(tmp_path):
    refused(timed("diff", write(tmp_path, "old.yaml", "a: !!binary aGVsbG8=\n"),
                  write(tmp_path, "new.json", "{}")), "old.yaml:1:4:")


if __name__ == "__main__":  # pragma: no cover - run one file quickly by hand
    sys.exit(pytest.main([__file__, "-q"]))


# --- fuzz: random documents and mutations, run through the CLI in-process ---------------------------

import io  # noqa: E402 - the fuzz test's own imports, kept with it
import json  # noqa: E402
import tempfile  # noqa: E402
from contextlib import redirect_stderr, redirect_stdout  # noqa: E402

import yaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from schemadiff import cli  # noqa: E402

#: the default keeps the test near ten seconds; SCHEMADIFF_HEAVY=1 (set by .ci/run) tries 600,
#: SCHEMADIFF_FUZZ_EXAMPLES=N any number
FUZZ_EXAMPLES = int(os.environ.get("SCHEMADIFF_FUZZ_EXAMPLES",
                                   "600" if os.environ.get("SCHEMADIFF_HEAVY") == "1" else "120"))

BASES = {
    "openapi": yaml.safe_load(OPENAPI_OLD),
    "swagger": {"swagger": "2.0", "info": {"title": "Pets", "version": "1"}, "paths": {"/pets": {
        "get": {"responses": {"200": {"description": "ok", "schema": {
            "type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}}}}},
    "hyperschema": {"$schema": "http://json-schema.org/draft-04/hyper-schema", "definitions": {
        "pet": {"type": "object", "properties": {"id": {"type": "integer"}}, "links": [
            {"href": "/pets", "method": "GET", "rel": "instances",
             "targetSchema": {"type": "array", "items": {"$ref": "#/definitions/pet"}}}]}},
        "properties": {"pet": {"$ref": "#/definitions/pet"}}},
    "jsonschema": {"type": "object", "required": ["id"], "additionalProperties": False,
                   "properties": {"id": {"type": "integer"},
                                  "tags": {"type": "array", "items": {"type": "string"}}}},
}
KEYWORDS = ["type", "properties", "required", "$ref", "openapi", "swagger", "paths", "items", "enum",
            "links", "definitions", "additionalProperties", "allOf", "anyOf", "$schema", "minimum",
            "title", "get", "responses", "schema"]
#: edits that change what kind a document looks like
KIND_SWITCHES = [
    lambda d: d.pop("openapi", None), lambda d: d.pop("swagger", None),
    lambda d: d.update(openapi=3.0), lambda d: d.update(openapi="3.1.0"),
    lambda d: d.update(swagger="2.0"), lambda d: d.update(paths={}),
    lambda d: d.update({"$schema": "http://json-schema.org/draft-04/hyper-schema"}),
    lambda d: d.pop("$schema", None), lambda d: d.pop("definitions", None),
    lambda d: d.update({"$ref": "#"}),
]

scalars = st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=4) | \
    st.floats(allow_nan=False, allow_infinity=False, width=16)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(KEYWORDS), inner, max_size=3), max_leaves=6)
mutations = st.lists(st.tuples(st.sampled_from(["delete", "set", "kind"]),
                               st.integers(0, 10_000), json_values), max_size=4)


def declared_kind(data) -> str:
    """What a document says it is, restated here independently of schemadiff's detection."""
    if not isinstance(data, dict):
        return "none"
    if "openapi" in data or "swagger" in data:
        return "openapi"
    schema = data.get("$schema")
    definitions = data.get("definitions")
    if (isinstance(schema, str) and "hyper-schema" in schema) or (isinstance(definitions, dict) and any(
            isinstance(d, dict) and isinstance(d.get("links"), list) for d in definitions.values())):
        return "hyperschema"
    return "jsonschema"


def places(value, path=()):
    """Every (container, key) in a document, for picking where a mutation lands."""
    out = []
    if isinstance(value, dict):
        for key, child in value.items():
            out.append((value, key))
            out.extend(places(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out.append((value, index))
            out.extend(places(child, (*path, index)))
    return out


def mutate(data: dict, edits) -> dict:
    data = json.loads(json.dumps(data))
    for op, pick, value in edits:
        spots = places(data)
        if op == "kind":
            KIND_SWITCHES[pick % len(KIND_SWITCHES)](data)
        elif spots:
            container, key = spots[pick % len(spots)]
            if op == "delete":
                del container[key]
            else:
                container[key] = value
    return data


def text_of(data: dict, as_yaml: bool, attack: str | None) -> tuple[str, bool]:
    """The document as JSON or YAML text, with a line JSON cannot hold added by ``attack``; and
    whether one was (a JSON string that merely looks like base64 is fine)."""
    text = yaml.safe_dump(data, sort_keys=False) if as_yaml else json.dumps(data, indent=1)
    lines = {"dup": ("zz: 1\nzz: 2\n", '"zz": 1, "zz": 2,'), "nan": ("zz: .nan\n", '"zz": NaN,'),
             "binary": ("zz: !!binary aGk=\n", '"zz": "aGk=",')}.get(attack or "")
    if not lines or not data:
        return text, False
    if as_yaml:
        return lines[0] + text, True
    return "{" + lines[1] + text.lstrip()[1:], attack != "binary"


def run_in_process(*args: str) -> tuple[int, str, str]:
    """``schemadiff ARGS`` through cli.main, as the console script runs it; examples that cannot be
    built are skipped as they are for users (the test suite otherwise makes them fail loudly)."""
    out, err = io.StringIO(), io.StringIO()
    saved_argv, debug = sys.argv, os.environ.pop("SCHEMADIFF_DEBUG_EXAMPLES", None)
    sys.argv = ["schemadiff", *args]
    try:
        with redirect_stdout(out), redirect_stderr(err):
            cli.main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 0
    finally:
        sys.argv = saved_argv
        if debug is not None:
            os.environ["SCHEMADIFF_DEBUG_EXAMPLES"] = debug
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(base=st.sampled_from(sorted(BASES)), other=st.sampled_from([None, *sorted(BASES)]),
       old_edits=mutations, new_edits=mutations, old_yaml=st.booleans(), new_yaml=st.booleans(),
       attack=st.sampled_from([None, None, None, "dup", "nan", "binary"]))
def test_fuzz_never_a_traceback_nor_a_verdict_across_kinds(base, other, old_edits, new_edits,
                                                           old_yaml, new_yaml, attack):
    """Whatever the documents: exit 2 is one line; exit 1 comes with a breaking record; exit 0
    never compares two documents that declare different kinds."""
    old = mutate(BASES[base], old_edits[:1])
    new = mutate(BASES[other or base], new_edits)
    with tempfile.TemporaryDirectory() as folder:
        new_text, not_json = text_of(new, new_yaml, attack)
        old_path = write(Path(folder), "old.yaml" if old_yaml else "old.json",
                         text_of(old, old_yaml, None)[0])
        new_path = write(Path(folder), "new.yaml" if new_yaml else "new.json", new_text)
        code, out, err = run_in_process("diff", old_path, new_path, "--format", "json")
    assert code in (0, 1, 2), (code, err)
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("schemadiff: error: "), err
        return
    report = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in JSON output"))
    breaking = [c for c in report["changes"] if c["severity"] == "breaking" and not c.get("waived")]
    assert bool(breaking) == (code == 1), (code, report["summary"])
    assert report["old"]["kind"] == report["new"]["kind"]
    assert declared_kind(old) == declared_kind(new), (code, report["old"]["kind"])
    assert not not_json
