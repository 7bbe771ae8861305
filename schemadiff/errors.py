"""The one error type users see: a single line naming the file and, where known, the line and column."""

from __future__ import annotations


class InputError(Exception):
    """Bad input or usage. The CLI prints ``str(err)`` on one line and exits with code 2."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None,
                 column: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.subject: str | None = None   # the key or name the error is about, if any

    def __str__(self) -> str:
        where = self.source or ""
        if where and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = " ".join(self.message.split())  # always one line
        return f"{where}: {text}" if where else text
