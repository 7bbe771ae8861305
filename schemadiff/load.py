"""Text to document: JSON or YAML, with clear errors and, on demand, the line and column of any node.

Positions are kept in a side table keyed by JSON pointer and built only when somebody asks for one, so a
comparison that reports nothing pays nothing for them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from functools import cache
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in CPython, not in typeshed
from typing import Any, NoReturn, cast

from schemadiff.errors import InputError
from schemadiff.sources import Source


@cache
def _yaml_reader() -> tuple:
    """The YAML loader and its repeated-key error, made on first use: PyYAML is imported only for a
    YAML document (JSON inputs, the common case, never load it)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _RepeatedKey(yaml.constructor.ConstructorError):
        """A key given twice in one mapping; the first one's line is kept to name both."""

        def __init__(self, key: str, first: yaml.Mark, second: yaml.Mark):
            super().__init__(None, None, f"the key {key!r} appears twice", second)
            self.first_line = first.line + 1

    class _Loader(base):  # type: ignore[misc, valid-type]
        """YAML 1.1 read as JSON: without timestamps (a date in a schema is a string to JSON
        Schema, not a datetime), and refusing what JSON cannot hold: repeated keys (YAML readers
        disagree on which one wins, so the reviewer and the gate may see different documents),
        values JSON has no type for (``!!binary``, ``!!set``, ``!!timestamp``, ...), NaN and
        infinities."""

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge" or \
                        not isinstance(key_node, yaml.ScalarNode):
                    continue  # merged keys may override; complex keys are refused by the constructor
                key = self.construct_object(key_node)
                text = key if isinstance(key, str) else _scalar_text(key)
                if text in seen:
                    raise _RepeatedKey(text, seen[text], key_node.start_mark)
                seen[text] = key_node.start_mark
            return super().construct_mapping(node, deep)

        def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
            try:
                return super().construct_yaml_int(node)
            except ValueError:  # Python refuses to convert integers of more than 4300 digits
                raise yaml.constructor.ConstructorError(
                    None, None, "an integer too long to read", node.start_mark) from None

        def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
            value = super().construct_yaml_float(node)
            if not math.isfinite(value):
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"{node.value} is not a JSON number (NaN and infinities are not JSON)",
                    node.start_mark)
            return value

        def refuse_non_json(self, node: yaml.Node) -> NoReturn:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"a {node.tag.rsplit(':', 1)[-1]} value ({node.tag}) has no JSON equivalent",
                node.start_mark)

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    _Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
    _Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
    for _tag in ("binary", "timestamp", "set", "omap", "pairs"):
        _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.refuse_non_json)
    return _Loader, _RepeatedKey


class _RepeatedJsonKey(ValueError):
    """Raised by the JSON reader on a repeated key; the scan that names its lines comes after."""


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number (NaN and infinities are not JSON)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a JSON number")
    return value


def _unique_keys(pairs: list) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _RepeatedJsonKey()
    return data


def parse(source: Source) -> dict:
    """Parse a source's text. Errors name the file, line and column and never show a traceback."""
    text = source.content()
    stripped = text.lstrip()
    if not stripped:
        raise InputError("the file is empty", source.name)
    try:
        data = _parse_json(text, source) if stripped[0] in "{[" else _parse_yaml(text, source)
    except RecursionError:
        raise InputError("the document is nested too deeply to read", source.name) from None
    if not isinstance(data, dict):
        raise InputError(f"the document's root is {_json_type(data)}, not an object", source.name,
                         1 + source.line_offset)
    return data


def _parse_json(text: str, source: Source) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err.msg}", source.name, err.lineno + source.line_offset,
                         err.colno) from None
    except _RepeatedJsonKey:
        raise _repeated_json_key(text, source) from None
    except ValueError as err:
        raise InputError(f"invalid JSON: {err}", source.name) from None


def _parse_yaml(text: str, source: Source) -> Any:
    import yaml

    _Loader, _RepeatedKey = _yaml_reader()
    try:
        data = yaml.load(text, Loader=_Loader)  # a safe loader (see _Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        if isinstance(err, _RepeatedKey):
            problem += f" (first at line {err.first_line + source.line_offset})"
        line = mark.line + 1 + source.line_offset if mark else None
        raise InputError(f"invalid YAML: {problem}", source.name, line,
                         mark.column + 1 if mark else None) from None
    except yaml.YAMLError as err:
        raise InputError(f"invalid YAML: {err}", source.name) from None
    if _expanded_size(data) > MAX_EXPANDED_NODES:
        raise InputError(f"the YAML's aliases expand to more than {MAX_EXPANDED_NODES:,} values "
                         "(an alias bomb, or an alias that contains itself)", source.name)
    return _json_keys(data)


#: YAML aliases share one value in many places; a document that would be this big once expanded is
#: refused rather than walked (``a: &a [*b, *b, ...]`` nested ten deep is ten billion values)
MAX_EXPANDED_NODES = 20_000_000


def _expanded_size(value: Any) -> int:
    """How many values the document holds once every alias is expanded, counted without expanding
    (each shared value is sized once). A value that contains itself (``&a [*a]``) has no size."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack = [(value, False)]
    while stack:
        node, done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            open_.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) if isinstance(c, (dict, list)) else 1
                                      for c in children)
            if sizes[id(node)] > MAX_EXPANDED_NODES:
                return sizes[id(node)]
            continue
        if id(node) in open_:
            return MAX_EXPANDED_NODES + 1  # recursive: it would never end
        if id(node) in sizes:
            continue
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, (dict, list)))
    return sizes.get(id(value), 1)


def _repeated_json_key(text: str, source: Source) -> InputError:
    """The error for a repeated key in a JSON text, naming both lines (found by a second scan,
    only on this error path: the fast reader does not know positions)."""
    try:
        json_offsets(text)
    except RepeatedMember as repeat:
        (first, _), (second, column) = lines_and_columns(text, [repeat.first, repeat.second])
        key = unescape_token(repeat.pointer.rsplit("/", 1)[-1])
        return InputError(f"invalid JSON: the key {key!r} appears twice (first at line "
                          f"{first + 1 + source.line_offset})", source.name,
                          second + 1 + source.line_offset, column + 1)
    return InputError("invalid JSON: a key appears twice in one object", source.name)


def _json_keys(value: Any) -> Any:
    """YAML allows non-string keys (``200:`` in an OpenAPI file); JSON documents have string keys."""
    stack = [value]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue  # an alias: the same value, already converted
        seen.add(id(node))
        if isinstance(node, dict):
            if any(not isinstance(k, str) for k in node):
                items = [(k if isinstance(k, str) else _scalar_text(k), v) for k, v in node.items()]
                node.clear()
                node.update(items)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return value


def _scalar_text(key: Any) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array"}.get(type(value), type(value).__name__)


def escape_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


# --- positions -------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
#: ``_WS.match``, which always matches (the empty string too)
_ws = cast("Callable[[str, int], re.Match[str]]", _WS.match)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


class RepeatedMember(ValueError):
    """A full scan met the same member twice (a key repeated in one object)."""

    def __init__(self, pointer: str, first: int, second: int):
        super().__init__(pointer)
        self.pointer, self.first, self.second = pointer, first, second


def json_offsets(text: str, wanted: set[str] | None = None) -> dict[str, int]:
    """Map JSON pointers of a JSON text to the offset where each starts (the key, for members).

    With ``wanted`` (a set closed under prefixes), only those are recorded and every other
    container is skipped at C speed. Iterative, so a very deep document cannot exhaust the stack.
    A full scan (no ``wanted``) raises :class:`RepeatedMember` on a key given twice.
    """
    offsets: dict[str, int] = {}
    pos = _ws(text, 0).end()
    offsets[""] = pos
    stack: list[list] = []          # [pointer, "{" or "[", next index]
    pointer = ""
    expect_value = True
    while True:
        if expect_value:
            char = text[pos] if pos < len(text) else ""
            if char in "{[" and char and (wanted is None or pointer in wanted):
                stack.append([pointer, char, 0])
                pos = _ws(text, pos + 1).end()
                if text[pos] == ("}" if char == "{" else "]"):
                    stack.pop()
                    pos += 1
                    expect_value = False
                    continue
                pos, pointer = _enter_member(text, stack, offsets, pos, wanted)
                continue
            if char in "{[" and char:
                _, pos = _SKIP(text, pos)  # a container nobody asked about
            elif char == '"':
                _, pos = scanstring(text, pos + 1)
            else:
                match = _SCALAR.match(text, pos)
                if not match:
                    return offsets
                pos = match.end()
            expect_value = False
            continue
        # after a value: a comma, or the end of the container
        if not stack:
            return offsets
        pos = _ws(text, pos).end()
        char = text[pos]
        if char == ",":
            stack[-1][2] += 1
            pos = _ws(text, pos + 1).end()
            pos, pointer = _enter_member(text, stack, offsets, pos, wanted)
            expect_value = True
        else:  # } or ]
            stack.pop()
            pos += 1


_SKIP = json.JSONDecoder().raw_decode


def _enter_member(text: str, stack: list, offsets: dict, pos: int,
                  wanted: set[str] | None) -> tuple[int, str]:
    parent, kind, index = stack[-1]
    if kind == "[":
        pointer = f"{parent}/{index}"
        if wanted is None or pointer in wanted:
            offsets[pointer] = pos
        return pos, pointer
    key, end = scanstring(text, pos + 1)
    pointer = f"{parent}/{escape_token(key)}"
    if wanted is None and pointer in offsets:
        raise RepeatedMember(pointer, offsets[pointer], pos)
    if wanted is None or pointer in wanted:
        offsets[pointer] = pos
    end = _ws(text, end).end()  # the colon
    return _ws(text, end + 1).end(), pointer


def yaml_offsets(text: str, wanted: set[str] | None = None) -> dict[str, tuple[int, int]]:
    """Map JSON pointers of a YAML text to (line, column), both 0-based, from the node graph."""
    import yaml

    root = yaml.compose(text, Loader=_yaml_reader()[0])
    positions: dict[str, tuple[int, int]] = {}
    stack: list[tuple[str, Any, Any]] = [("", root, None)]   # (pointer, node, its key node)
    while stack:
        pointer, node, key_node = stack.pop()
        if wanted is not None and pointer not in wanted:
            continue
        mark = (key_node or node).start_mark
        positions[pointer] = (mark.line, mark.column)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.append((f"{pointer}/{escape_token(str(k.value))}", v, k))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                stack.append((f"{pointer}/{i}", v, None))
    return positions


def _yaml_positions(text: str, wanted: set[str]) -> dict[str, tuple[int, int]]:
    """:func:`yaml_offsets`, or nothing where the text is not YAML that can be read."""
    import yaml

    try:
        return yaml_offsets(text, wanted)
    except yaml.YAMLError:
        return {}


def lines_and_columns(text: str, offsets: Iterable[int]) -> list[tuple[int, int]]:
    """0-based (line, column) of each offset, counting newlines between them in order (no table
    of every line start is kept)."""
    order = sorted(range(len(offsets := list(offsets))), key=offsets.__getitem__)
    out: list[tuple[int, int]] = [(0, 0)] * len(offsets)
    line, position, line_start = 0, 0, 0
    for index in order:
        offset = offsets[index]
        newlines = text.count("\n", position, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", position, offset) + 1
        position = offset
        out[index] = (line, offset - line_start)
    return out


def _with_ancestors(pointers: Iterable[str]) -> set[str]:
    out = {""}
    for pointer in pointers:
        while pointer and pointer not in out:
            out.add(pointer)
            pointer = pointer.rsplit("/", 1)[0]
    return out


class Positions:
    """Line and column (1-based) of JSON pointers in a source, found only for the pointers asked
    about (one scan per batch), so a comparison that reports little pays little."""

    def __init__(self, source: Source):
        self._source = source
        self._known: dict[str, tuple[int, int] | None] = {}

    def _scan(self, pointers: Iterable[str]) -> None:
        wanted = _with_ancestors(pointers) - set(self._known)
        if not wanted:
            return
        text = self._source.content()
        found: dict[str, tuple[int, int]] = {}
        first = _ws(text, 0).end()   # (not text.strip(): a copy of the whole text, 10 ms for 4 MB)
        if first < len(text):  # a document handed over already loaded has no text, no positions
            try:
                if text[first] in "{[":
                    offsets = json_offsets(text, wanted | set(self._known))
                    found = dict(zip(offsets, lines_and_columns(text, offsets.values()), strict=True))
                else:
                    found = _yaml_positions(text, wanted | set(self._known))
            except (ValueError, IndexError, RecursionError):
                found = {}
        for pointer in wanted:
            self._known[pointer] = found.get(pointer)

    def get_many(self, pointers: Iterable[str]) -> dict[str, tuple[int, int] | None]:
        """Positions of many pointers at once; a pointer to something absent falls back to its
        nearest present ancestor."""
        pointers = list(pointers)
        self._scan(pointers)
        out: dict[str, tuple[int, int] | None] = {}
        for pointer in pointers:
            probe = pointer
            while True:
                hit = self._known.get(probe)
                if hit is not None:
                    out[pointer] = (hit[0] + 1 + self._source.line_offset, hit[1] + 1)
                    break
                if not probe:
                    out[pointer] = None
                    break
                probe = probe.rsplit("/", 1)[0]
        return out

    def get(self, pointer: str) -> tuple[int, int] | None:
        return self.get_many([pointer])[pointer]
