"""Where the server may send a request to or read a URL from (a webhook; a URL data source: a data asset's URL,
a job's URL input, Import Data's URL): public addresses and loopback, and private networks only when the
workspace allows them under ``setting`` (the workspace.yaml key of their CIDR list, named in messages)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Callable
from urllib.parse import urlsplit

from modelyard.errors import InvalidInput

WEBHOOKS = "webhooks.allowed_networks"
DATA_SOURCES = "data_sources.allowed_networks"


def allowed_networks(cidrs: list[str], setting: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]
    except ValueError as error:
        raise InvalidInput(f"workspace.yaml {setting}: {error} (use CIDR, e.g. 10.0.0.0/8)") from None


def check_destination(url: str, allowed: list[str], setting: str) -> None:
    """Refuse a URL that is not http(s), has no host, does not resolve, or resolves to a private,
    link-local or otherwise non-public address that is neither loopback nor in ``allowed``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"url: {url!r} is not an http(s) URL with a host, e.g. https://hooks.example.com/modelyard")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)}
    except (OSError, ValueError) as error:
        raise InvalidInput(f"url: cannot resolve the host of {url!r}: {error}") from None
    networks = allowed_networks(allowed, setting)
    for text in sorted(addresses):
        address = ipaddress.ip_address(text.split("%")[0])
        if address.is_loopback or any(address in network for network in networks):
            continue
        if not address.is_global or address.is_multicast:
            section, key = setting.split(".")
            raise InvalidInput(f"url: {parts.hostname} resolves to {address}, a private or reserved address that "
                               f"this server may not reach; allow its network under '{section}: {key}:' in the "
                               "workspace's workspace.yaml (e.g. 10.0.0.0/8)")


def data_source_check(location) -> Callable[[str], None]:
    """The check of every request that reads a URL data source of the workspace at ``location`` (a
    ``WorkspaceLocation``), for ``modelyard._urls.download``."""
    allowed = location.config.data_sources.allowed_networks
    return lambda url: check_destination(url, allowed, DATA_SOURCES)
