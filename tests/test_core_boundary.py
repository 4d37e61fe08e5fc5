"""The core never imports Textual: `inspector show` and `--help` stay fast and headless."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests import factory

CORE = ["models", "decoding", "describe", "errors", "sanitize", "sources", "report", "cli"]
CORE += ["lines", "jsonvalues"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, inspector.{module}; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["show", "LOG"]])
def test_cli_paths_that_never_import_textual(argv: list[str]) -> None:
    path = str(factory.SHARED / "chat_tools.json")
    argv = [path if arg == "LOG" else arg for arg in argv]
    code = (
        "import sys\nfrom inspector.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str('textual' in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().endswith("False"), result.stderr
