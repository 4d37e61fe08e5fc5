"""Settings for fetching and display, merged with precedence flag > env > file > default."""

from __future__ import annotations

import math
import os
import re
import shlex
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import msgspec

from inspector.errors import SettingsError
from inspector.files import open_regular
from inspector.sanitize import one_line

DEFAULT_BASE_URL: Final = "https://api.humanloop.com/v4"
#: Where `log_…` ids (v5) and `--file` lists are fetched unless a base URL is set.
DEFAULT_V5_BASE_URL: Final = "https://api.humanloop.com/v5"
KEY_ENV: Final = "HUMANLOOP_API_KEY"
BASE_URL_ENV: Final = "HUMANLOOP_BASE_URL"
CONFIG_ENV: Final = "INSPECTOR_CONFIG"
#: A settings file holds a few lines; anything bigger is the wrong file.
MAX_CONFIG_BYTES: Final = 64 * 1024
MAX_RETRIES: Final = 10

#: Names a user might give an API key in the settings file; all are refused.
_KEY_NAMES: Final = frozenset({"apikey", "key", "humanloopapikey", "xapikey", "token", "secret"})
_SIZE: Final = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS: Final = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
#: A key goes into an HTTP header: visible ASCII only, so it cannot break or smuggle a header.
_HEADER_SAFE: Final = re.compile(r"^[\x21-\x7e]+$")
_TYPE_WORDS: Final = {
    "float": "a number",
    "int": "an integer",
    "str": "a string",
    "bool": "true or false",
    "array": "a list",
    "object": "a table",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a fetch needs, resolved from flags, environment, settings file and defaults."""

    base_url: str = DEFAULT_BASE_URL
    #: Seconds each attempt may take, from connecting to the last byte.
    timeout: float = 30.0
    #: Attempts after the first one, for failures that may pass (429, 5xx, timeouts, …).
    retries: int = 2
    #: The most bytes a response may have, after decompression.
    max_bytes: int = 256 * 1024 * 1024
    theme: str | None = None
    #: Allow sending the key over plain http:// to a host that is not loopback.
    insecure: bool = False
    #: How `y` copies: `auto` (a local command if any, else the terminal), `terminal`
    #: (OSC 52 only), or a command that reads the text on stdin, such as `xclip -i`.
    clipboard: str = "auto"
    #: The `[keys]` table: your own keys for bindings, by binding id (see `inspector keys`).
    keys: tuple[KeySetting, ...] = ()
    #: From `HUMANLOOP_API_KEY` only; kept out of `repr` so tracebacks with locals do not show it.
    api_key: str | None = field(default=None, repr=False)


class KeySetting(msgspec.Struct, frozen=True):
    """One line of the `[keys]` table: a binding id and the keys it gets instead."""

    binding: str
    keys: str
    #: Where it was set, for errors: `settings file PATH line N`.
    where: str


class _FileSettings(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The settings file: every key optional, any other key an error."""

    base_url: str | None = None
    timeout: float | None = None
    retries: int | None = None
    max_size: int | str | None = None
    theme: str | None = None
    clipboard: str | None = None
    keys: dict[str, str] | None = None


FILE_KEYS: Final = _FileSettings.__struct_fields__


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the settings file is: `$INSPECTOR_CONFIG`, else the platform's user config folder."""
    override = environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("inspector")) / "config.toml"


def load_settings(
    *,
    flags: Mapping[str, Any],
    environ: Mapping[str, str] = os.environ,
    path: Path | None = None,
) -> Settings:
    """Resolve settings: a flag that is not None wins, then env, then the file, then the default.

    Args:
        flags: Values from the command line by `Settings` field name; None means not given.
        environ: The environment to read `HUMANLOOP_*` and `INSPECTOR_CONFIG` from.
        path: The settings file; by default `config_path(environ)`. A missing file is no error.

    Raises:
        SettingsError: The file is not valid TOML, names an unknown setting or a key, or a value
            has the wrong type or range.
    """
    file_path = path if path is not None else config_path(environ)
    file, text = read_settings_file(file_path)
    values: dict[str, Any] = {
        "base_url": file.base_url,
        "timeout": file.timeout,
        "retries": file.retries,
        "max_bytes": None if file.max_size is None else parse_size(file.max_size, "max_size"),
        "theme": file.theme,
        "clipboard": file.clipboard,
    }
    where = dict.fromkeys(values, "settings file")
    env_url = environ.get(BASE_URL_ENV, "").strip()
    if env_url:
        values["base_url"], where["base_url"] = env_url, BASE_URL_ENV
    for name, value in flags.items():
        if value is not None:
            values[name], where[name] = value, "command line"
    chosen = {name: value for name, value in values.items() if value is not None}
    keys = _key_settings(file.keys or {}, file_path, text)
    settings = Settings(**chosen, keys=keys, api_key=_api_key(environ))
    _check(settings, where)
    return settings


def read_settings_file(path: Path) -> tuple[_FileSettings, str]:
    """Read and check the settings file, and return it with its text (for line numbers).

    A file that does not exist gives all defaults.
    """
    shown = one_line(str(path), 200)
    try:
        # Never `read_text`: a FIFO would block for ever, a device never end.
        with open_regular(path) as stream:
            _check_trusted(os.fstat(stream.fileno()), shown)
            data = stream.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return _FileSettings(), ""
    except OSError as exc:
        raise SettingsError(f"settings file {shown}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise SettingsError(
            f"settings file {shown}: bigger than {MAX_CONFIG_BYTES // 1024} KB, which no settings"
            " file needs; is INSPECTOR_CONFIG pointing at the right file?"
        )
    # Imported only with a file to read: the first paint of most runs does without it.
    import tomllib

    try:
        text = data.decode("utf-8")
        table = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SettingsError(f"settings file {shown}: cannot read: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"settings file {shown}: not valid TOML: {one_line(str(exc))}"
        ) from None
    except RecursionError:
        raise SettingsError(f"settings file {shown}: not valid TOML: nested too deeply") from None
    for name in table:
        if name.replace("_", "").replace("-", "").lower() in _KEY_NAMES:
            raise SettingsError(
                f"settings file {shown}: `{one_line(name, 40)}` looks like an API key; the key is "
                f"read only from the environment variable {KEY_ENV}: remove it from the file"
            )
    try:
        return msgspec.convert(table, _FileSettings), text
    except msgspec.ValidationError as exc:
        raise SettingsError(f"settings file {shown}: {_explain(str(exc))}") from None
    except RecursionError:
        raise SettingsError(f"settings file {shown}: a value is nested too deeply") from None


def _check_trusted(info: os.stat_result, shown: str) -> None:
    """Refuse a settings file that someone else could have written, as ssh does.

    Whoever can write it can point `base_url` at their own server and receive the key.
    """
    if info.st_uid not in (os.getuid(), 0):
        raise SettingsError(
            f"settings file {shown}: owned by another user (uid {info.st_uid}), who could point"
            " base_url at their own server and receive your key; refusing to use it"
        )
    if info.st_mode & 0o022:
        raise SettingsError(
            f"settings file {shown}: writable by {_writers(info.st_mode)} (mode "
            f"{stat.S_IMODE(info.st_mode):04o}), who could point base_url at their own server"
            f" and receive your key; refusing to use it: run chmod go-w {shown}"
        )


def _writers(mode: int) -> str:
    both = mode & 0o020 and mode & 0o002
    return "group and others" if both else "its group" if mode & 0o020 else "others"


def parse_size(value: int | str, name: str = "size") -> int:
    """Bytes from an int or a string such as `512K`, `64M`, `1G` (binary units)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    found = _SIZE.match(str(value))
    if not found:
        raise SettingsError(f"{name}: expected a number of bytes such as 1048576 or 64M")
    unit = (found.group(2) or "").lower()[:1]
    return int(found.group(1)) * _UNITS[unit]


def check_api_key(key: str) -> None:
    """Refuse a key that cannot be sent as a header value, without ever quoting it."""
    if not _HEADER_SAFE.match(key):
        raise SettingsError(
            f"{KEY_ENV} holds a space, control or non-ASCII character, which cannot be sent in "
            "an HTTP header; set it to the key alone"
        )


def _api_key(environ: Mapping[str, str]) -> str | None:
    # Whitespace around the key is a copy-paste accident, not part of the key.
    key = environ.get(KEY_ENV, "").strip()
    if not key:
        return None
    check_api_key(key)
    return key


def safe_url(url: str) -> str:
    """`url` fit to show: a user name and password in it (`http://user:pw@host`) become `…@`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(a malformed URL)"
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="…@" + parts.netloc.rpartition("@")[2]).geturl()


def _check(settings: Settings, where: Mapping[str, str]) -> None:
    try:
        parts = urlsplit(settings.base_url)
        hostname = parts.hostname
    except ValueError:
        hostname = None
    if parts.scheme not in ("http", "https") or not hostname:
        raise SettingsError(
            f"base URL from {where['base_url']} is not an http(s) URL with a host: "
            f"{one_line(safe_url(settings.base_url), 120)!r} (example: {DEFAULT_BASE_URL})"
        )
    if parts.query or parts.fragment:
        raise SettingsError(f"base URL from {where['base_url']} must not have a query or fragment")
    check_timeout(settings.timeout, f"timeout from {where['timeout']}")
    check_retries(settings.retries, f"retries from {where['retries']}")
    check_max_bytes(settings.max_bytes, f"max size from {where['max_bytes']}")
    _check_clipboard(settings.clipboard, where.get("clipboard", "settings file"))


# The limits of each setting, checked here for the settings file, the environment and
# the command line alike (the command line's argparse types call these).


def check_timeout(value: float, what: str = "timeout") -> float:
    """A timeout in seconds: a finite number above 0."""
    if not (math.isfinite(value) and value > 0):
        raise SettingsError(f"{what} must be a number of seconds above 0")
    return value


def check_retries(value: int, what: str = "retries") -> int:
    """How many extra attempts: a whole number from 0 to `MAX_RETRIES`."""
    if not 0 <= value <= MAX_RETRIES:
        raise SettingsError(f"{what} must be between 0 and {MAX_RETRIES}")
    return value


def check_max_bytes(value: int, what: str = "max size") -> int:
    """The largest response: above 0 bytes."""
    if value <= 0:
        raise SettingsError(f"{what} must be above 0 bytes")
    return value


def _check_clipboard(value: str, where: str) -> None:
    """`auto`, `terminal`, or a command line whose program can be found."""
    if value in ("auto", "terminal"):
        return
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise SettingsError(f"clipboard from {where}: cannot read the command: {exc}") from None
    if not words:
        raise SettingsError(f"clipboard from {where}: give `auto`, `terminal` or a command")
    if shutil.which(words[0]) is None:
        raise SettingsError(
            f"clipboard from {where}: command `{one_line(words[0], 60)}` not found; give "
            "`auto`, `terminal` or a command such as `wl-copy`, `xclip -selection clipboard`, "
            "`xsel --clipboard --input` or `pbcopy`"
        )


def _explain(message: str) -> str:
    """Reword msgspec's validation message for a settings file: name the setting first."""
    unknown = re.match(r"Object contains unknown field `([^`]*)`", message)
    if unknown:
        known = ", ".join(FILE_KEYS)
        return f"unknown setting `{one_line(unknown.group(1), 40)}` (known settings: {known})"
    at = re.search(r" - at `\$\.([^`]*)`", message)
    # Every setting may be absent, so "| null" in msgspec's type says nothing useful here.
    text = re.sub(r" - at `[^`]*`", "", message).replace("`", "").replace(" | null", "")
    text = text.replace(" | ", " or ")
    for name, words in _TYPE_WORDS.items():
        text = re.sub(rf"\b{name}\b", words, text)
    text = text.replace("Expected ", "expected ")
    return f"{at.group(1)}: {one_line(text, 120)}" if at else one_line(text, 160)


def for_v5(settings: Settings, log_id: str | None = None) -> Settings:
    """The settings to fetch a v5 log (`log_…`, or any id when `log_id` is None) with.

    Only the default base URL changes (to v5's); a base URL the user set, v4 or v5, is
    kept: `--base-url …/v5` selects v5 for any id.
    """
    wants_v5 = log_id is None or log_id.startswith("log_")
    if wants_v5 and settings.base_url == DEFAULT_BASE_URL:
        return replace(settings, base_url=DEFAULT_V5_BASE_URL)
    return settings


def _key_settings(table: Mapping[str, str], path: Path, text: str) -> tuple[KeySetting, ...]:
    """The `[keys]` table with the line each entry is on (TOML parsers keep no lines).

    `text` is the file as read once, through the checks of `read_settings_file`.
    """
    if not table:
        return ()
    lines: dict[str, int] = {}
    in_keys = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_keys = stripped.replace(" ", "") == "[keys]"
            continue
        found = re.match(r"""^["']?([^"'=\s]+)["']?\s*=""", stripped)
        if in_keys and found:
            lines.setdefault(found.group(1), number)
        elif found and found.group(1).startswith("keys."):
            lines.setdefault(found.group(1)[5:], number)
    shown = one_line(str(path), 200)
    return tuple(
        KeySetting(
            one_line(binding, 80),
            keys,
            f"settings file {shown} line {lines[binding]}"
            if binding in lines
            else f"settings file {shown}",
        )
        for binding, keys in table.items()
    )
