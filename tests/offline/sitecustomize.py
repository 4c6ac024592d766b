"""A machine without the internet, for the Python processes a test starts with this folder on PYTHONPATH.

Only loopback answers: a name that is not local does not resolve (an address written out still
parses, as no one is asked), and a connection to any other address fails at once, as on a machine whose network is down. So `--engine auto` falls back to the
offline voices, and a command the README runs can never send traffic out.
"""

import errno
import ipaddress
import socket

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_getaddrinfo = socket.getaddrinfo
_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or str(host).lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _is_address(host) -> bool:
    """An address written out (169.254.169.254, fe80::1): resolving it asks no one, and connecting
    to it is still refused below."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    try:
        ipaddress.ip_address(str(host).split("%")[0])
        return True
    except ValueError:
        return False


def getaddrinfo(host, *args, **kwargs):
    if not _is_loopback(host) and not _is_address(host):
        raise socket.gaierror(socket.EAI_NONAME, f"offline: {host} does not resolve")
    return _getaddrinfo(host, *args, **kwargs)


def _allowed(sock, address) -> bool:
    return sock.family not in (socket.AF_INET, socket.AF_INET6) or _is_loopback(address[0])


def connect(self, address):
    if not _allowed(self, address):
        raise OSError(errno.ENETUNREACH, f"offline: no route to {address[0]}")
    return _connect(self, address)


def connect_ex(self, address):
    if not _allowed(self, address):
        return errno.ENETUNREACH
    return _connect_ex(self, address)


socket.getaddrinfo = getaddrinfo
socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
