"""Sending a delivery over HTTP without letting a hook reach what it must not.

The name of the URL is resolved at each send and every address it gives is checked: private,
loopback, link-local, shared, reserved and multicast addresses are refused unless the
deployment allows them (``WEBHOOKS_ALLOWED_NETWORKS``, ``WEBHOOKS_ALLOW_PRIVATE``). The request
then goes to the very address that was checked (no second lookup a DNS answer could change),
with the name in ``Host`` and for TLS, and no redirect is followed.
"""

import dataclasses
import ipaddress
import socket
import time
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

MAX_RESPONSE_BYTES = 64 * 1024


class ForbiddenAddress(Exception):
    """The URL leads to an address webhooks may not call."""


class SendError(Exception):
    """The request could not be made or answered (name, connection, timeout, TLS)."""


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    duration_ms: int


def _allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return True
    for network in settings.WEBHOOKS_ALLOWED_NETWORKS:
        if address in ipaddress.ip_network(network.strip(), strict=False):
            return True
    return address.is_global and not address.is_multicast


def resolve(url: str) -> tuple[str, int, str]:
    """(host name, port, the checked address to connect to) for ``url``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ForbiddenAddress("only http:// and https:// URLs can be called")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise SendError(f"{parts.hostname} could not be resolved: {error}") from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    refused = [str(address) for address in addresses if not _allowed(address)]
    if refused or not addresses:
        raise ForbiddenAddress(
            f"{parts.hostname} resolves to an address webhooks may not call: "
            f"{', '.join(refused)}"
        )
    return parts.hostname, port, str(addresses[0])


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST ``body`` to ``url``; the answer's status (any), or ``SendError`` /
    ``ForbiddenAddress``."""
    hostname, port, address = resolve(url)
    parts = urlsplit(url)
    default_port = 443 if parts.scheme == "https" else 80
    host_header = hostname if port == default_port else f"{hostname}:{port}"
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False,
               "maxsize": 1}
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(address, port, server_hostname=hostname,
                                           assert_hostname=hostname, cert_reqs="CERT_REQUIRED",
                                           **options)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    started = time.monotonic()
    try:
        with pool:
            response = pool.urlopen(
                "POST", path, body=body, redirect=False, retries=False,
                preload_content=False,
                headers={"Host": host_header, "Content-Type": "application/json",
                         "User-Agent": "Agenda-Webhooks/1", **headers},
            )
            response.read(MAX_RESPONSE_BYTES)  # what we keep of an answer: none of it
            response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        raise SendError(f"{type(error).__name__}: {error}") from error
    return Answer(status=response.status,
                  duration_ms=int((time.monotonic() - started) * 1000))
