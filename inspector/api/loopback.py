"""Which hosts are this machine: the key may go to them over plain http, never via a proxy."""

from __future__ import annotations

import ipaddress
import socket
from typing import Final

import httpx

#: Proxy mounts that send every request straight to the server.
DIRECT: Final[dict[str, httpx.AsyncBaseTransport | None]] = {
    "all://": None,
    "http://": None,
    "https://": None,
}


def is_loopback(host: str) -> bool:
    """True for a loopback address, or a name (`localhost`, `x.localhost`) that resolves
    only to loopback addresses; any other name is not resolved and is not loopback."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    if host != "localhost" and not host.endswith(".localhost"):
        return False
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return False
    addresses = {str(info[4][0]).partition("%")[0] for info in found}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)
