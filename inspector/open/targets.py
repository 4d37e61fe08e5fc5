"""What a TARGET on the command line names, and reading the bytes of local targets.

A TARGET is `-` (stdin), a path to a file or folder, or a Humanloop log id. Paths win
over ids: a file called `data_x` in the current folder is read as a file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Final, Literal

import msgspec

from inspector.errors import SourceError, UsageError
from inspector.sanitize import one_line

#: v4 log ids start with `data_`; v5 ids with `log_` (fetched from the v5 API).
LOG_ID: Final = re.compile(r"^(data|log)_[A-Za-z0-9_-]+$")

Kind = Literal["stdin", "file", "folder", "id"]


class Target(msgspec.Struct, frozen=True):
    """A classified TARGET."""

    kind: Kind
    value: str

    @property
    def label(self) -> str:
        """How the target is named in titles and messages."""
        return "stdin" if self.kind == "stdin" else self.value


def classify(target: str) -> Target:
    """Decide what `target` names, or raise `SourceError` saying why it names nothing."""
    if target == "-":
        return Target("stdin", target)
    path = Path(target)
    if path.is_dir():
        return Target("folder", target)
    if path.exists():
        return Target("file", target)
    if LOG_ID.match(target):
        return Target("id", target)
    shown = one_line(target, 120)
    if "/" in target or target.endswith((".json", ".jsonl")):
        raise SourceError(f"{shown}: no such file or folder")
    raise SourceError(f"{shown}: no such file, and not a log id (v4 log ids start with data_)")


def read_stdin() -> bytes:
    """Read all of stdin; refuse to wait on a terminal, where nobody is piping a log."""
    stream = sys.stdin
    if stream is None:
        raise SourceError("stdin is closed: pipe a log into `inspector … -`")
    if stream.isatty():
        raise UsageError("`-` reads a log from stdin, but stdin is a terminal: pipe a log in")
    return stream.buffer.read()
