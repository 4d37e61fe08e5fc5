"""The core never imports Textual: `inspector show` and `--help` stay fast and headless."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import inspector
from tests import factory

#: Everything outside `app`, `screens` and `widgets`: the core never imports Textual.
UI = {"app", "screens", "widgets", "__main__"}
CORE = sorted(info.name for info in pkgutil.iter_modules(inspector.__path__) if info.name not in UI)


def test_the_core_is_what_we_think_it_is() -> None:
    for module in ["models", "decoding", "sanitize", "client", "config", "catalog", "cli"]:
        assert module in CORE
    for module in ["lines", "jsonvalues"]:
        assert module in CORE


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
