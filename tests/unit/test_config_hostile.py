"""Hostile settings files: a FIFO, deep nesting, a huge file, a file others can write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.errors import SettingsError
from inspector.settings import load_settings

NO_FLAGS: dict[str, object] = {}


def load(path: Path) -> None:
    load_settings(flags=NO_FLAGS, environ={}, path=path)


def test_a_fifo_as_the_settings_file_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    env = {**os.environ, "INSPECTOR_CONFIG": str(fifo), "HUMANLOOP_API_KEY": "k"}
    # Before, opening the FIFO waited for a writer for ever.
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "show", "data_abc"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert done.returncode == 1
    assert "not a regular file: it is a FIFO" in done.stderr
    assert "Traceback" not in done.stderr


def test_deep_nesting_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("timeout = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(SettingsError, match="nested too deeply"):
        load(path)


def test_an_absurdly_large_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# padding\n" * 200_000 + "timeout = 3\n")
    with pytest.raises(SettingsError, match="bigger than 64 KB"):
        load(path)


@pytest.mark.parametrize(
    ("mode", "who"), [(0o664, "its group"), (0o646, "others"), (0o666, "group and others")]
)
def test_a_file_others_can_write_is_refused(tmp_path: Path, mode: int, who: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text('base_url = "http://127.0.0.1:9/v4"\n')
    path.chmod(mode)
    with pytest.raises(SettingsError, match=f"writable by {who} .*chmod go-w"):
        load(path)
    path.chmod(0o644)
    load(path)


@pytest.mark.skipif(os.getuid() != 0, reason="giving a file away needs root")
def test_a_file_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('base_url = "http://127.0.0.1:9/v4"\n')
    os.chown(path, 4321, 4321)
    with pytest.raises(SettingsError, match=r"owned by another user \(uid 4321\)"):
        load(path)
