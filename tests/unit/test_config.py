"""Settings: precedence flag > env > file > default, and one clear line for every bad value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inspector.errors import SettingsError
from inspector.settings import DEFAULT_BASE_URL, Settings, config_path, load_settings, parse_size
from tests.support.conftest_http import KEY
from tests.support.conftest_http import isolated_http_env as isolated_http_env

NO_FLAGS: dict[str, Any] = {}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_env_or_flags(tmp_path: Path) -> None:
    settings = load_settings(flags=NO_FLAGS, environ={}, path=tmp_path / "missing.toml")
    assert settings == Settings()
    assert settings.base_url == DEFAULT_BASE_URL == "https://api.humanloop.com/v4"
    assert (settings.timeout, settings.retries, settings.max_bytes) == (30.0, 2, 256 * 1024**2)
    assert (settings.theme, settings.insecure, settings.api_key) == (None, False, None)


def test_file_values_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'base_url = "https://file.example/v4"\ntimeout = 5\nretries = 4\n'
        'max_size = "64M"\ntheme = "textual-light"\n',
    )
    settings = load_settings(flags=NO_FLAGS, environ={}, path=path)
    assert settings.base_url == "https://file.example/v4"
    assert settings.timeout == 5.0
    assert settings.retries == 4
    assert settings.max_bytes == 64 * 1024**2
    assert settings.theme == "textual-light"


def test_precedence_is_flag_then_env_then_file_then_default(tmp_path: Path) -> None:
    path = write(tmp_path, 'base_url = "https://file.example/v4"\ntimeout = 5\n')
    env = {"HUMANLOOP_BASE_URL": "https://env.example/v4"}
    assert (
        load_settings(flags=NO_FLAGS, environ={}, path=path).base_url == "https://file.example/v4"
    )
    assert (
        load_settings(flags=NO_FLAGS, environ=env, path=path).base_url == "https://env.example/v4"
    )
    flags = {"base_url": "https://flag.example/v4", "timeout": 9.0, "retries": None}
    settings = load_settings(flags=flags, environ=env, path=path)
    assert settings.base_url == "https://flag.example/v4"
    assert settings.timeout == 9.0
    assert settings.retries == 2  # None means the flag was not given


def test_inspector_config_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "retries = 7\n")
    env = {"INSPECTOR_CONFIG": str(path)}
    assert config_path(env) == path
    assert load_settings(flags=NO_FLAGS, environ=env).retries == 7


def test_default_path_is_the_platform_config_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_config_dir", lambda name: f"/cfg/{name}")
    assert config_path({}) == Path("/cfg/inspector/config.toml")


def test_the_key_comes_from_the_environment_only(tmp_path: Path) -> None:
    settings = load_settings(flags=NO_FLAGS, environ={"HUMANLOOP_API_KEY": f"  {KEY}\n"}, path=None)
    assert settings.api_key == KEY
    assert KEY not in repr(settings)
    assert load_settings(flags=NO_FLAGS, environ={"HUMANLOOP_API_KEY": ""}).api_key is None


@pytest.mark.parametrize("bad", ["sk-a b", "sk-\x1bx", "sk-é", "sk-\r\nX-Evil: 1"])
def test_a_key_that_cannot_be_a_header_is_refused_without_quoting_it(bad: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(flags=NO_FLAGS, environ={"HUMANLOOP_API_KEY": bad})
    assert "HUMANLOOP_API_KEY holds a space, control or non-ASCII character" in str(caught.value)
    assert "sk-" not in str(caught.value)


@pytest.mark.parametrize("name", ["api_key", "API_KEY", "apikey", "key", "humanloop_api_key"])
def test_a_key_in_the_file_is_refused(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, f'timeout = 3\n{name} = "{KEY}"\n')
    with pytest.raises(SettingsError) as caught:
        load_settings(flags=NO_FLAGS, environ={}, path=path)
    assert str(caught.value) == (
        f"settings file {path}: `{name}` looks like an API key; the key is read only from the "
        "environment variable HUMANLOOP_API_KEY: remove it from the file"
    )
    assert KEY not in str(caught.value)


def test_an_unknown_setting_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "timeout = 3\ncolour = 'red'\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(flags=NO_FLAGS, environ={}, path=path)
    assert str(caught.value) == (
        f"settings file {path}: unknown setting `colour` (known settings: base_url, timeout, "
        "retries, max_size, theme, clipboard, keys)"
    )


def test_malformed_toml_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "timeout = = 3\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(flags=NO_FLAGS, environ={}, path=path)
    assert str(caught.value) == (
        f"settings file {path}: not valid TOML: Invalid value (at line 1, column 11)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('timeout = "soon"', "timeout: expected a number, got a string"),
        ("retries = 1.5", "retries: expected an integer, got a number"),
        ("theme = 3", "theme: expected a string, got an integer"),
        ("base_url = ['x']", "base_url: expected a string, got a list"),
    ],
)
def test_wrong_types_name_the_setting(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(flags=NO_FLAGS, environ={}, path=path)
    assert str(caught.value) == f"settings file {path}: {message}"


@pytest.mark.parametrize(
    ("flags", "env", "message"),
    [
        (
            {"base_url": "api.humanloop.com"},
            {},
            "base URL from command line is not an http(s) URL with a host: 'api.humanloop.com' "
            "(example: https://api.humanloop.com/v4)",
        ),
        (
            {},
            {"HUMANLOOP_BASE_URL": "ftp://x/v4"},
            "base URL from HUMANLOOP_BASE_URL is not an http(s) URL with a host: 'ftp://x/v4' "
            "(example: https://api.humanloop.com/v4)",
        ),
        (
            {"base_url": "https://x/v4?key=1"},
            {},
            "base URL from command line must not have a query or fragment",
        ),
        ({"timeout": 0.0}, {}, "timeout from command line must be a number of seconds above 0"),
        ({"retries": 11}, {}, "retries from command line must be between 0 and 10"),
        ({"max_bytes": 0}, {}, "max size from command line must be above 0 bytes"),
    ],
)
def test_out_of_range_values_say_where_they_came_from(
    flags: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(flags=flags, environ=env, path=Path("/nonexistent/config.toml"))
    assert str(caught.value) == message


def test_out_of_range_value_in_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "timeout = -1\n")
    with pytest.raises(SettingsError, match=r"^timeout from settings file must be"):
        load_settings(flags=NO_FLAGS, environ={}, path=path)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"timeout = 3 \xff\n")
    with pytest.raises(SettingsError, match="cannot read: not UTF-8 text"):
        load_settings(flags=NO_FLAGS, environ={}, path=path)
    with pytest.raises(SettingsError, match="cannot read: not a regular file: it is a folder"):
        load_settings(flags=NO_FLAGS, environ={}, path=tmp_path)


@pytest.mark.parametrize(
    ("value", "size"),
    [(1024, 1024), ("1024", 1024), ("512K", 512 * 1024), ("64m", 64 * 1024**2), ("1GiB", 1024**3)],
)
def test_sizes(value: int | str, size: int) -> None:
    assert parse_size(value) == size


@pytest.mark.parametrize("value", ["lots", "1T", "-5", "1.5M", ""])
def test_bad_sizes(value: str) -> None:
    with pytest.raises(SettingsError, match="expected a number of bytes"):
        parse_size(value, "max_size")


def test_the_clipboard_setting_is_checked(tmp_path: Path) -> None:
    assert (
        load_settings(flags=NO_FLAGS, environ={}, path=tmp_path / "none.toml").clipboard == "auto"
    )
    for value in ("auto", "terminal", "cat -u"):
        path = write(tmp_path, f'clipboard = "{value}"\n')
        assert load_settings(flags=NO_FLAGS, environ={}, path=path).clipboard == value
    path = write(tmp_path, 'clipboard = "no-such-clipboard-tool --in"\n')
    with pytest.raises(SettingsError, match="command `no-such-clipboard-tool` not found"):
        load_settings(flags=NO_FLAGS, environ={}, path=path)
    path = write(tmp_path, 'clipboard = "  "\n')
    with pytest.raises(SettingsError, match="give `auto`, `terminal` or a command"):
        load_settings(flags=NO_FLAGS, environ={}, path=path)
