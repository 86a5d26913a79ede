"""Where a webhook may point: a public HTTPS address, checked when registered and when sent.

A name that resolves to a private, loopback, link-local or otherwise
non-public address is refused, so nobody can make the server call into its
own network (SSRF). The check runs again at every delivery, and the request
then connects to the very address that passed, so a name that changes its
answer after the check (DNS rebinding) cannot redirect it.
``PETITION_WEBHOOK_ALLOW_PRIVATE`` lifts the rule, and allows plain HTTP, for tests.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app


class TargetRefused(ValueError):
    """The address is not one we deliver to; the message says why, for the organizer."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the resolved IP address that passed the check


def _allow_private() -> bool:
    return bool(current_app.config["PETITION_WEBHOOK_ALLOW_PRIVATE"])


# IPv6 ranges refused whatever follows: IPv4-compatible (deprecated, ::a.b.c.d),
# local-use NAT64 (its IPv4 side is a private network by definition) and the
# deprecated site-local range, which some stacks still route inside a site.
_REFUSED_V6 = tuple(ipaddress.IPv6Network(net) for net in ("::/96", "64:ff9b:1::/48", "fec0::/10"))
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a mapped (::ffff:), 6to4 (2002::) or NAT64 address reaches."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
    return None


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in network for network in _REFUSED_V6):
            return False
        ip = _embedded_ipv4(ip) or ip
    return ip.is_global and not ip.is_multicast


def check(url: str) -> Target:
    """Return where ``url`` points if we may deliver there; raise TargetRefused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("Enter a whole web address, like https://example.org/hooks") from None
    allowed = ("https", "http") if _allow_private() else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise TargetRefused("Enter an address starting with https://")
    if parts.username or parts.password:
        raise TargetRefused("Leave the user name and password out of the address")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused("That host name does not resolve") from None
    addresses = [info[4][0] for info in found]
    if not addresses:  # pragma: no cover - getaddrinfo raises instead
        raise TargetRefused("That host name does not resolve")
    if not _allow_private() and not all(_is_public(address) for address in addresses):
        raise TargetRefused("That address is on a private network; use a public one")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to the checked address, whatever the name resolves to now."""

    def __init__(self, target: Target, timeout: float, cutoff: "_Cutoff") -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address
        self._cutoff = cutoff

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self._cutoff.check()  # the deadline may have passed while connecting


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = 443  # so the Host header leaves out the usual port, as for any client

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context()
        # The certificate is checked against the name, not the pinned address.
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)
        self._cutoff.check()


class _Cutoff:
    """Cut a connection at a deadline, however slowly the other end drips bytes.

    The socket timeout bounds each read; a receiver sending a byte now and
    then would hold the worker for ever. A timer shuts the socket down at
    the deadline, which ends any read or write in progress.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = threading.Event()
        self._connection: http.client.HTTPConnection | None = None
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True

    def start(self, connection: http.client.HTTPConnection) -> None:
        self._connection = connection
        self._timer.start()

    def _cut(self) -> None:
        self.expired.set()
        sock = self._connection.sock if self._connection is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def check(self) -> None:
        if self.expired.is_set():
            raise TimeoutError(f"no whole answer within {self.seconds:g} s")

    def cancel(self) -> None:
        self._timer.cancel()


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to the checked address and return the status code (no redirects).

    ``timeout`` bounds the whole exchange, connecting to the last byte read.
    """
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    cutoff = _Cutoff(timeout)
    connection = kind(target, timeout, cutoff)
    cutoff.start(connection)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # a little of the answer, never all of an endless one
        cutoff.check()
        return response.status
    except (OSError, http.client.HTTPException):
        cutoff.check()  # cut at the deadline: say so, whatever the read saw
        raise
    finally:
        cutoff.cancel()
        connection.close()
