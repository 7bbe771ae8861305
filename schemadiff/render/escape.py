"""Schema strings made safe for each output family, in one place.

Every name, title, value and message a report shows comes from files the change under review may
have written. These functions make sure such a string stays one piece of text in its format: it
cannot end the line and start a forged one (``::error file=...::`` in an Actions log, a Markdown
``**Verdict: compatible**`` or ``<!--``), move a terminal's cursor or write its clipboard (ESC, OSC
52/8), break out of a code span, or make an XML report invalid.
"""

from __future__ import annotations

import re

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

#: C0 and C1 controls, DEL, and the invisible characters that reorder or break lines (bidi
#: overrides and isolates, line and paragraph separators, zero-width no-break space)
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x20 else f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """One line of visible text: controls written as ``\\n``, ``\\x1b``, ``\\u202e``."""
    return UNPRINTABLE.sub(_escaped, text)


def printable_lines(text: str) -> str:
    """Like :func:`printable`, keeping the line breaks (``\n``) of a multi-line block."""
    return "\n".join(printable(line) for line in text.split("\n"))


# --- Markdown ---------------------------------------------------------------------------------

#: what can open an inline construct (code, emphasis, links, raw HTML, entities, table cells,
#: strikethrough); line-start constructs cannot occur, as no schema string can start a line
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")


def md_text(text: str) -> str:
    """Plain text inside a Markdown line: no raw HTML, no emphasis, links or code of its own."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def md_code(text: str) -> str:
    """A code span no backtick in ``text`` can close early: the fence is longer than any run of
    backticks inside, padded when the text starts or ends with one."""
    text = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


#: a `quoted` part of a message (names and values), shown as code by every human format
CODE = re.compile(r"`([^`]+)`")


def md_message(text: str) -> str:
    """A message with its `quoted` parts as code spans and everything else as plain text."""
    out, last = [], 0
    for match in CODE.finditer(text):
        out += [md_text(text[last:match.start()]), md_code(match.group(1))]
        last = match.end()
    out.append(md_text(text[last:]))
    return "".join(out)


# --- XML --------------------------------------------------------------------------------------

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: the characters it forbids (most controls, lone surrogates, U+FFFE
    and U+FFFF) are dropped; the caller still escapes ``<``, ``&`` and quotes."""
    return _XML_FORBIDDEN.sub("", text)


# xml.sax.saxutils gives the same two functions, but importing it pulls in urllib.request and
# http.client (15 ms at start-up); these are its exact rules (tests/test_startup.py checks them).
_ATTRIBUTE_ENTITIES = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def xml_escape(data: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` as entities."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def xml_quoteattr(data: str) -> str:
    """An XML attribute value with its quotes, as ``xml.sax.saxutils.quoteattr`` writes it."""
    data = xml_escape(data)
    for char, entity in _ATTRIBUTE_ENTITIES.items():
        data = data.replace(char, entity)
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"' + data.replace('"', "&quot;") + '"'


def xml_attribute(text: str) -> str:
    """A quoted XML attribute value, on one visible line."""
    return xml_quoteattr(xml_text(printable(text)))


def xml_content(text: str) -> str:
    """Element content: its own line breaks kept, every other control written visibly."""
    return xml_escape(xml_text(printable_lines(text)))


# --- GitHub workflow commands -----------------------------------------------------------------

def gh_data(text: str) -> str:
    """The message of a workflow command: on one line, with no control character."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return printable(encoded)


def gh_property(text: str) -> str:
    """A property value of a workflow command (``file=``, ``title=``): no ``:`` or ``,`` either."""
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")
