"""Where webhooks may point: public addresses and loopback, and private networks only when allowed."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from modelyard.errors import InvalidInput

FIX = "allow its network under 'webhooks: allowed_networks:' in the workspace's workspace.yaml (e.g. 10.0.0.0/8)"


def allowed_networks(cidrs: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(cidr, strict=False) for cidr in cidrs]
    except ValueError as error:
        raise InvalidInput(f"workspace.yaml webhooks.allowed_networks: {error} (use CIDR, e.g. 10.0.0.0/8)") from None


def check_destination(url: str, allowed: list[str]) -> None:
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
    networks = allowed_networks(allowed)
    for text in sorted(addresses):
        address = ipaddress.ip_address(text.split("%")[0])
        if address.is_loopback or any(address in network for network in networks):
            continue
        if not address.is_global or address.is_multicast:
            raise InvalidInput(f"url: {parts.hostname} resolves to {address}, a private or reserved address that "
                               f"webhooks may not reach on this server; {FIX}")
