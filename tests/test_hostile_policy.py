"""The pull request may not configure its own gate (issue 9, item 2; issue 10, item 1).

Each case is an attack from the issue, run through the real CLI in a scratch repository: the exit
code, the one line on standard error, no traceback, and a time limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from conftest import git, one_line

LIMIT = 30  # seconds: each case is small; a hang is a failure, not a slow pass

OLD = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
       "required": ["id"], "additionalProperties": False}
NEW = {"type": "object", "properties": {"id": {"type": "string"}},
       "required": ["id"], "additionalProperties": False}    # `name` removed: breaking


def cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("SCHEMADIFF_ALLOW", "GITHUB_"))}
    environment.update({"NO_COLOR": "1", **(env or {})})
    result = subprocess.run([sys.executable, "-m", "schemadiff", *args], capture_output=True,
                            text=True, cwd=cwd, env=environment, timeout=LIMIT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def pull_request(tmp_path) -> Path:
    """A repository whose base commit has the schema and no configuration, and whose work tree
    (the pull request) breaks the schema and brings a configuration to wave it through."""
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "api" / "schema.json").write_text(json.dumps(OLD))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "api" / "schema.json").write_text(json.dumps(NEW))
    return repo


def gate(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return cli("diff", "HEAD:api/schema.json", "api/schema.json", *args, cwd=repo, env=env)


@pytest.mark.parametrize("config", [
    'fail-on = "none"\n',
    '[[waivers]]\npath = "*"\nreason = "trust me"\n',
    '[severity]\nproperty-removed-from-closed-object = "off"\n',
    '[severity]\nproperty-removed-from-closed-object = "info"\n',
], ids=["fail-on-none", "waiver-everything", "severity-off", "severity-info"])
def test_the_pull_requests_config_cannot_open_the_gate(pull_request, config):
    (pull_request / ".schemadiff.toml").write_text(config)
    result = gate(pull_request, "-f", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["verdict"]["result"] == "breaking"
    assert report["settings"]["config"] is None   # the base revision has none
    assert any(".schemadiff.toml: ignored; the configuration is read from the base revision HEAD"
               in warning for warning in report["warnings"])
    # committing it to the pull request's branch changes nothing either: the base decides
    git(pull_request, "add", ".")
    git(pull_request, "commit", "-qm", "pr")
    assert cli("diff", "HEAD~1:api/schema.json", "HEAD:api/schema.json",
               cwd=pull_request).returncode == 1


def test_the_base_revisions_config_applies_and_config_overrides_it(pull_request, tmp_path):
    (pull_request / "pyproject.toml").write_text('[tool.schemadiff]\nfail-on = "none"\n')
    git(pull_request, "add", "pyproject.toml")
    git(pull_request, "commit", "-qm", "the team chose to report only")
    result = gate(pull_request, "-f", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["settings"]["config"] == "HEAD:pyproject.toml"
    explicit = tmp_path / "gate.toml"
    explicit.write_text('fail-on = "breaking"\n')
    overridden = gate(pull_request, "--config", str(explicit), "-f", "json")
    assert overridden.returncode == 1
    assert json.loads(overridden.stdout)["settings"]["config"] == str(explicit)


def test_a_config_above_the_repository_is_not_read(pull_request):
    (pull_request.parent / ".schemadiff.toml").write_text('fail-on = "none"\n')
    (pull_request / "old.json").write_text(json.dumps(OLD))
    result = cli("diff", "../old.json", "schema.json", "-f", "json", cwd=pull_request / "api")
    assert result.returncode == 1
    assert json.loads(result.stdout)["settings"]["config"] is None


class _Recorder(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []   # shared by every request the server handles

    def do_GET(self):  # the name is the http.server API
        self.hits.append(self.path)
        body = b'{"type": "string", "description": "password: hunter2"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def credentials_server():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/creds.json", _Recorder.hits
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("key", ["allow-remote-refs", "allow-outside-refs"])
@pytest.mark.parametrize("where", ["work-tree", "base-revision"])
def test_security_switches_are_refused_in_a_config_file(pull_request, credentials_server, key,
                                                        where):
    address, hits = credentials_server
    schema = dict(NEW, properties={"id": {"$ref": address}})
    (pull_request / "api" / "schema.json").write_text(json.dumps(schema))
    (pull_request / ".schemadiff.toml").write_text(f"{key} = true\n")
    if where == "base-revision":   # even the trusted side may not: it is the wrong place
        git(pull_request, "add", ".schemadiff.toml")
        git(pull_request, "commit", "-qm", "config")
        result = gate(pull_request)
    else:                          # the old side is a plain file: the work tree's config is read
        (pull_request / "old.json").write_text(json.dumps(OLD))
        result = cli("diff", "old.json", "api/schema.json", cwd=pull_request)
    assert result.returncode == 2
    name = ".schemadiff.toml" if where == "work-tree" else "HEAD:.schemadiff.toml"
    assert one_line(result).endswith(
        f"{name}:1: {key} cannot be set in a configuration file (a pull request could set it); "
        f"pass --{key} or SCHEMADIFF_{key.upper().replace('-', '_')}=1")
    assert hits == []   # nothing was fetched
    assert "hunter2" not in result.stdout


def test_security_switches_come_from_the_command_line_or_the_environment(tmp_path):
    inner = tmp_path / "api"
    inner.mkdir()
    (tmp_path / "secret.json").write_text('{"type": "string", "maxLength": 3}')
    (inner / "old.json").write_text('{"properties": {"a": {"$ref": "../secret.json"}}}')
    (inner / "new.json").write_text('{"properties": {"a": {"type": "string"}}}')
    confined = cli("diff", "old.json", "new.json", cwd=inner)
    assert confined.returncode == 2 and "points outside the schema's folder" in one_line(confined)
    for env in ({"SCHEMADIFF_ALLOW_OUTSIDE_REFS": "1"}, None):
        args = () if env else ("--allow-outside-refs",)
        followed = cli("diff", "old.json", "new.json", "-f", "json", *args, cwd=inner, env=env)
        assert followed.returncode in (0, 1), followed.stderr
        assert json.loads(followed.stdout)["settings"]["allow_outside_refs"] is True
    for word in ("no",):   # a word that reads as true to a careless parser
        off = cli("diff", "old.json", "new.json", cwd=inner,
                  env={"SCHEMADIFF_ALLOW_OUTSIDE_REFS": word})
        assert off.returncode == 2 and "points outside" in one_line(off)
    bad = cli("diff", "old.json", "new.json", cwd=inner,
              env={"SCHEMADIFF_ALLOW_OUTSIDE_REFS": "perhaps"})
    assert bad.returncode == 2
    assert one_line(bad) == ("schemadiff: error: SCHEMADIFF_ALLOW_OUTSIDE_REFS must be 1 or 0 "
                             "(true/false, yes/no), not 'perhaps'")


@pytest.mark.parametrize("text, line, message", [
    ('strict = "no"\n', 1, "strict must be true or false, not 'no'"),
    ('\ncompat = 1\n', 2, "compat must be one of backward, forward, full, not 1"),
    ('fail-on = false\n', 1, "fail-on must be one of breaking, dangerous, safe, none, not False"),
    ('kind = "yaml"\n', 1, "kind must be one of openapi, hyperschema, jsonschema, not 'yaml'"),
    ('severity = "off"\n', 1, "severity must be a table of rule id = severity"),
    ('[severity]\ntitle-changed = 3\n', 2,
     "severity of 'title-changed' must be one of breaking, dangerous, safe, info, off, not 3"),
    ('waivers = "all"\n', 1, "waivers must be an array of tables ([[waivers]])"),
    ('[[waivers]]\npath = 3\nreason = "x"\n', None, "waiver 1: path must be a string, not 3"),
])
def test_config_values_of_the_wrong_type_are_one_clear_line(tmp_path, text, line, message):
    git(tmp_path, "init", "-q")
    (tmp_path / "old.json").write_text(json.dumps(OLD))
    (tmp_path / "new.json").write_text(json.dumps(NEW))
    config = tmp_path / ".schemadiff.toml"
    config.write_text(text)
    result = cli("diff", "old.json", "new.json", cwd=tmp_path)
    assert result.returncode == 2
    where = f"{config}:{line}" if line else str(config)
    assert one_line(result) == f"schemadiff: error: {where}: {message}"


def test_pyproject_table_of_the_wrong_type(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "old.json").write_text(json.dumps(OLD))
    (tmp_path / "pyproject.toml").write_text("[tool]\nschemadiff = 1\n")
    result = cli("diff", "old.json", "old.json", "--config", "pyproject.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result) == "schemadiff: error: pyproject.toml: [tool.schemadiff] must be a table"


def test_strict_no_used_to_turn_strict_on(tmp_path):
    """The defect of issue 10: `strict = false` and `strict = "no"` must not differ silently."""
    git(tmp_path, "init", "-q")
    (tmp_path / "old.json").write_text('{"type": "integer", "maximum": 10}')
    (tmp_path / "new.json").write_text('{"type": "integer", "maximum": 10, "minimum": 0}')
    config = tmp_path / ".schemadiff.toml"
    config.write_text("strict = false\n")
    honest = cli("diff", "old.json", "new.json", "-f", "json", cwd=tmp_path)
    assert json.loads(honest.stdout)["settings"]["strict"] is False
    config.write_text('strict = "no"\n')
    assert cli("diff", "old.json", "new.json", cwd=tmp_path).returncode == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_config_that_never_ends_is_refused(tmp_path):
    (tmp_path / "old.json").write_text(json.dumps(OLD))
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / ".schemadiff.toml").symlink_to("/dev/zero")
    for args in (("--config", "fifo.toml"), ()):
        result = cli("diff", "old.json", "old.json", *args, cwd=tmp_path)
        assert result.returncode == 2
        assert "is not a regular file (a device, FIFO or socket)" in one_line(result)


def test_python_api_checks_its_arguments():
    import schemadiff

    for arguments, message in (({"strict": "no"}, "strict must be true or false, not 'no'"),
                               ({"compat": "sideways"}, "compat must be one of backward, forward, "
                                                        "full, not 'sideways'"),
                               ({"fail_on": None}, None)):
        if message is None:
            assert schemadiff.compare(OLD, NEW, **arguments).settings.fail_on.value == "breaking"
            continue
        with pytest.raises(schemadiff.InputError) as caught:
            schemadiff.compare(OLD, NEW, **arguments)
        assert str(caught.value) == message
    report = schemadiff.compare(OLD, NEW, compat="forward", strict=True)
    assert report.as_dict()["settings"] == {
        "kind": None, "compat": "forward", "strict": True, "fail_on": "breaking",
        "allow_outside_refs": False, "allow_remote_refs": False, "deprecation_days_stable": 0,
        "deprecation_days_beta": 0, "stability_caps": True, "config": None}
    with pytest.raises(AttributeError):   # frozen: no stage can change what was asked
        report.settings.strict = False  # type: ignore[misc]


def test_config_file_example_in_the_docs_is_valid(tmp_path):
    """docs/ci.md shows a configuration; it must load as written."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "ci.md").read_text()
    block = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(block))
    (tmp_path / "old.json").write_text(json.dumps(OLD))
    result = cli("diff", "old.json", "old.json", "--config", "pyproject.toml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
