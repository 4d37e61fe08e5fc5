"""Copy text to the clipboard, and say honestly what was done.

A local clipboard command (`wl-copy`, `xclip`, `xsel`, `pbcopy`, or the `clipboard` setting)
really copies; the terminal's OSC 52 is only sent, and reaches nothing under tmux with
`set-clipboard` off or over SSH without OSC 52, so the message says "sent", not "copied".
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from textual.app import App

#: Seconds a clipboard command may take before the terminal is used instead.
TIMEOUT: Final = 3.0


def local_command(setting: str | None, environ: Mapping[str, str] = os.environ) -> list[str] | None:
    """The clipboard command to run, or None to send the text to the terminal (OSC 52).

    `setting` is the `clipboard` setting: a command line, `terminal`, or None/`auto` to
    pick the first of `pbcopy`, `wl-copy`, `xclip`, `xsel` that fits this session.
    """
    if setting == "terminal":
        return None
    if setting and setting != "auto":
        return shlex.split(setting)
    candidates: list[list[str]] = []
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    if environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    for command in candidates:
        if shutil.which(command[0]):
            return command
    return None


async def run_command(command: list[str], text: str) -> str | None:
    """Feed `text` to a clipboard command; None when it worked, else why not."""
    try:
        # Only stdin is a pipe: xclip and wl-copy leave a child that keeps the selection,
        # and that child must not hold an output pipe this call would wait on.
        process = await asyncio.create_subprocess_exec(
            *command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        async with asyncio.timeout(TIMEOUT):
            await process.communicate(text.encode("utf-8"))
    except TimeoutError:
        return f"{command[0]} took longer than {TIMEOUT:g} s"
    except OSError as error:
        return f"{command[0]}: {error.strerror or error}"
    if process.returncode != 0:
        return f"{command[0]} failed (exit status {process.returncode})"
    return None


async def copy_text(app: App[object], text: str, what: str) -> None:
    """Copy `text` (already sanitised) and tell the user where it went; `what` names it."""
    settings = getattr(app, "settings", None)
    command = local_command(getattr(settings, "clipboard", None))
    problem = None
    if command is not None:
        problem = await run_command(command, text)
        if problem is None:
            app.notify(f"Copied {what} to the clipboard ({Path(command[0]).name})")
            return
    app.copy_to_clipboard(text)
    via = "through tmux (needs set-clipboard on)" if os.environ.get("TMUX") else "(OSC 52)"
    first = f"{problem}; " if problem else ""
    app.notify(
        f"{first}Sent {what} to the terminal's clipboard {via}; if it did not arrive, "
        "set `clipboard` in the config file to a command such as xclip"
    )
