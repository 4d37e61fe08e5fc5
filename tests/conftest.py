"""Shared test setup: no test reads the developer's own settings, keys or terminal theme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

#: Fixtures shared by the catalog's unit tests and the list's Pilot tests.
pytest_plugins = ["tests.support.passes"]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Point settings and the index cache at temp paths; drop every HUMANLOOP_* variable."""
    for name in ("HUMANLOOP_API_KEY", "HUMANLOOP_BASE_URL", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSPECTOR_CONFIG", str(tmp_path / "no-such-config.toml"))
    # The catalog's index cache: never the developer's own cache folder.
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path / "inspector-cache"))
    yield
