"""The floor plan holds: Textual only in `tui/`, no import circles, no room importing a higher."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import inspector
from tests.support import factory

PACKAGE = Path(inspector.__file__).parent

#: The rooms from the bottom up: a module may import its own room and the rooms below it.
#: The top-level shared modules (`errors`, `sanitize`, `settings`) sit under every room.
LAYERS: list[set[str]] = [
    {"errors", "files", "sanitize", "settings", "__init__"},
    {"model"},
    {"bigtext", "present"},
    {"api"},
    {"catalog"},
    {"open"},
    {"tui"},
    {"cli", "__main__"},
]
RANK = {room: rank for rank, rooms in enumerate(LAYERS) for room in rooms}

ALL = sorted(info.name for info in pkgutil.walk_packages(inspector.__path__, prefix="inspector."))
CORE = [
    name for name in ALL if not name.startswith("inspector.tui") and name != "inspector.__main__"
]


def _room(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """Every `inspector.…` module a file imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("inspector"):
            # `from inspector.catalog import sql` imports the module `inspector.catalog.sql`.
            subs = {f"{node.module}.{a.name}" for a in node.names} & set(ALL)
            found.update(subs or {node.module})
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("inspector"))
    return found


def _module_path(module: str) -> Path:
    parts = module.split(".")[1:]
    candidate = PACKAGE.joinpath(*parts)
    return candidate / "__init__.py" if candidate.is_dir() else candidate.with_suffix(".py")


GRAPH = {module: _imports(_module_path(module)) for module in ALL}


def test_there_are_at_most_eight_modules_directly_in_the_package() -> None:
    top = list(PACKAGE.glob("*.py"))
    assert len(top) <= 8, sorted(p.name for p in top)


def test_every_module_lives_in_a_known_room() -> None:
    assert {_room(m) for m in ALL} <= set(RANK)


@pytest.mark.parametrize("module", ALL)
def test_no_room_imports_a_room_above_it(module: str) -> None:
    mine = RANK[_room(module)]
    above = sorted(i for i in GRAPH[module] if i != "inspector" and RANK[_room(i)] > mine)
    assert above == [], f"{module} imports rooms above it: {above}"


def test_the_import_graph_has_no_circles() -> None:
    # Package imports (`from inspector.catalog import X`) count as the package's `__init__`.
    edges = {m: {i for i in deps if i in GRAPH and i != m} for m, deps in GRAPH.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                cycle.extend([*path, node, nxt])
                return True
            if nxt not in state and visit(nxt, [*path, node]):
                return True
        state[node] = 2
        return False

    for start in sorted(edges):
        if start not in state and visit(start, []):
            break
    assert cycle == []


def test_the_core_is_what_we_think_it_is() -> None:
    for module in ["model.log", "model.decode", "sanitize", "api.client", "settings", "catalog"]:
        assert f"inspector.{module}" in CORE
    assert "inspector.tui.app" not in CORE


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["show", "LOG"]])
def test_cli_paths_that_never_import_textual(argv: list[str]) -> None:
    path = str(factory.SHARED / "chat_tools.json")
    argv = [path if arg == "LOG" else arg for arg in argv]
    code = (
        "import sys\nfrom inspector.cli.main import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str('textual' in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().endswith("False"), result.stderr
