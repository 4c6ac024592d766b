"""Fetching an article's page: http(s) only, a timeout, a size cap, an honest
User-Agent, and one clear sentence for every way a server can let us down.

Our own limits rather than trafilatura's fetcher, so the caps are the ones the
user sees in the error. Naver blog posts live in a frame (`iframe#mainFrame`
pointing at /PostView...): the frame is fetched in place of the page.

Fetching stays public: the user may name any host (their own blog on the LAN, a
test server on loopback), but a redirect or a frame that leads to another host is
followed only when that host resolves to public addresses. Redirects are followed
here, one at a time, so each target is resolved and refused before anything
connects to it: a page cannot send us to the cloud's metadata service
(169.254.169.254) or to a router's admin page.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connection
from lxml import html as lxml_html

from .. import __version__
from ..errors import AudiogenError

USER_AGENT = f"audiogen/{__version__} (reads one article to make an audio lesson; python-requests)"
TIMEOUT_S = 20.0  # to connect, between two reads, and for the whole page
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 10
HTML_TYPES = ("text/html", "application/xhtml+xml")
_URL = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.I)  # any scheme: ftp:// is refused by name, not read as a path


def is_url(text: str) -> bool:
    """An address rather than a file name (check_url then says whether we can read it)."""
    return bool(_URL.match(str(text)))


@dataclass
class Page:
    """An HTML page as fetched: the address it ended at (after redirects and frames) and its text."""

    url: str  # the address the user gave
    final_url: str
    html: str
    data: bytes


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise AudiogenError(f"{url}: only http:// and https:// addresses can be read")
    if not parts.hostname:
        raise AudiogenError(f"{url}: not a web address (no host name)")
    return url


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an address; its host is what the user vouched for by typing it."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise AudiogenError(f"{url}: not a web address (a bad port)") from None
    return scheme, (parts.hostname or "").lower(), port


def is_public(address: str) -> bool:
    """An address on the public internet: not loopback, private, link-local, shared
    (carrier NAT), multicast, reserved or unspecified (IPv4-mapped IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is link-local anyway
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_public(url: str, asked: str) -> None:
    """Refuse, before connecting, an address whose host resolves to anything but public
    addresses (every one of them: a name with one private address is refused)."""
    _, host, port = origin(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise AudiogenError(f"{asked}: cannot reach the server ({getattr(e, 'strerror', None) or e})") from None
    for *_, sockaddr in found:
        if not is_public(sockaddr[0]):
            raise AudiogenError(f"{asked}: refused to follow {url} to {host} ({sockaddr[0]}), "
                                "a loopback, private, link-local or reserved address")


class _Refused(Exception):
    """A connection the public-address rule refused: the host, and the address it resolved to."""

    def __init__(self, host: str, address: str):
        super().__init__(host, address)
        self.host, self.address = host, address


def public_session(typed_host: str) -> requests.Session:
    """A session whose connections to any host but `typed_host` go to an address checked to be
    public, and to that very address: a name that resolves to a public address when checked
    and to a private one when connected (DNS rebinding) is still refused."""

    def guarded(base: type) -> type:
        def _new_conn(self):
            host = self._dns_host.strip("[]").lower()
            if host == typed_host:
                return base._new_conn(self)
            try:
                found = socket.getaddrinfo(host, self.port, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError):
                return base._new_conn(self)  # urllib3 says it cannot resolve the name
            for *_, sockaddr in found:
                if not is_public(sockaddr[0]):
                    raise _Refused(host, sockaddr[0])
            self._dns_host = found[0][4][0]
            try:
                return base._new_conn(self)
            finally:
                self._dns_host = host

        return type(f"Public{base.__name__}", (base,), {"_new_conn": _new_conn})

    pools = {
        "http": type("PublicHTTPConnectionPool", (urllib3.HTTPConnectionPool,),
                     {"ConnectionCls": guarded(urllib3.connection.HTTPConnection)}),
        "https": type("PublicHTTPSConnectionPool", (urllib3.HTTPSConnectionPool,),
                      {"ConnectionCls": guarded(urllib3.connection.HTTPSConnection)}),
    }

    class PublicAdapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

    session = requests.Session()
    for prefix in ("http://", "https://"):
        session.mount(prefix, PublicAdapter())
    return session


def fetch(url: str, timeout: float | None = None, max_bytes: int | None = None,
          session: requests.Session | None = None) -> Page:
    """The article page at `url`; a Naver blog's frame is followed."""
    check_url(url)
    timeout = timeout or TIMEOUT_S
    max_bytes = max_bytes or MAX_BYTES
    typed = origin(url)[1]  # the host the user named
    own = session is None
    session = session or public_session(typed)
    try:
        final, data, html = _get(session, url, url, timeout, max_bytes, typed)
        frame = naver_frame(html, final)
        if frame:
            final, data, html = _get(session, frame, f"{url} (its post frame {frame})", timeout, max_bytes, typed)
    finally:
        if own:
            session.close()
    return Page(url=url, final_url=final, html=html, data=data)


def naver_frame(html: str, base: str) -> str | None:
    """Where a Naver blog page keeps its post: the `mainFrame` iframe's address."""
    if "mainFrame" not in html:
        return None
    try:
        root = lxml_html.fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for frame in root.xpath('//iframe[@id="mainFrame" or @name="mainFrame"][@src]'):
        target = urljoin(base, frame.get("src").strip())
        if re.match(r"^https?://", target, re.I) and target != base:
            return target
    return None


def _get(session: requests.Session, url: str, asked: str, timeout: float, max_bytes: int,
         typed: str) -> tuple[str, bytes, str]:
    """(final address, bytes, text) of one HTML page, within the limits; redirects followed
    one by one, each to another host than the one the user typed only when it is public."""
    started = time.monotonic()
    for _ in range(MAX_REDIRECTS + 1):
        if origin(url)[1] != typed:
            check_public(url, asked)
        r = _request(session, url, asked, timeout)
        if not r.is_redirect:
            return _read(r, asked, timeout, max_bytes, started)
        r.close()
        url = urljoin(r.url, r.headers["Location"].strip())
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise AudiogenError(f"{asked}: redirected to an address that is not http(s)")
        check_url(url)
    raise AudiogenError(f"{asked}: too many redirects (a redirect loop?)")


def _request(session: requests.Session, url: str, asked: str, timeout: float) -> requests.Response:
    """One GET, redirects not followed, the body not yet read."""
    try:
        return session.get(url, stream=True, timeout=(timeout, timeout), allow_redirects=False,
                           headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9"})
    except requests.RequestException as e:
        raise _problem(e, asked, timeout) from None
    except _Refused as e:
        raise AudiogenError(f"{asked}: refused to follow {url} to {e.host} ({e.address}), "
                            "a loopback, private, link-local or reserved address") from None


def _read(r: requests.Response, asked: str, timeout: float, max_bytes: int, started: float) -> tuple[str, bytes, str]:
    try:
        with r:
            if r.status_code >= 400:
                reason = f" {r.reason}" if r.reason else ""
                raise AudiogenError(f"{asked}: the server answered HTTP {r.status_code}{reason}")
            check_url(r.url)
            kind = r.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if kind and kind not in HTML_TYPES:
                raise AudiogenError(f"{asked}: not a web page (the server sent {kind}); "
                                    "save the article's text as .txt or .md instead")
            size = r.headers.get("Content-Length", "")
            if size.isdigit() and int(size) > max_bytes:
                raise AudiogenError(f"{asked}: the page is too large ({int(size):,} bytes; the limit is {max_bytes:,})")
            chunks, total = [], 0
            while chunk := _read_some(r):
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise AudiogenError(f"{asked}: the page is too large (over {max_bytes:,} bytes)")
                if time.monotonic() - started > timeout:
                    raise AudiogenError(f"{asked}: the server is too slow (the page took over {timeout:g} s)")
            data = b"".join(chunks)
            return r.url, data, decode(data, r.headers.get("Content-Type", ""))
    except (urllib3.exceptions.HTTPError, requests.RequestException) as e:
        raise _problem(e, asked, timeout) from None


def _problem(e: Exception, asked: str, timeout: float) -> AudiogenError:
    """The one line that says what went wrong with a download."""
    if isinstance(e, (urllib3.exceptions.ReadTimeoutError, requests.Timeout)):
        return AudiogenError(f"{asked}: the server did not answer within {timeout:g} s")
    if isinstance(e, urllib3.exceptions.HTTPError):
        return AudiogenError(f"{asked}: the download broke off ({type(e).__name__})")
    if isinstance(e, requests.exceptions.InvalidSchema):
        return AudiogenError(f"{asked}: redirected to an address that is not http(s)")
    if isinstance(e, requests.ConnectionError):
        if "timed out" in str(e).lower():  # a read that timed out mid-body comes this way
            return AudiogenError(f"{asked}: the server did not answer within {timeout:g} s")
        return AudiogenError(f"{asked}: cannot reach the server ({_reason(e)})")
    return AudiogenError(f"{asked}: the download failed ({_reason(e)})")


def _read_some(r: requests.Response) -> bytes:
    """What has arrived so far (up to 64 KiB), decompressed: a server that drips its page a
    few bytes at a time still meets the whole-page deadline between two of these."""
    return r.raw.read1(64 * 1024, decode_content=True)


def _reason(e: Exception) -> str:
    text = str(e.args[0] if e.args else e)
    m = re.search(r"\[Errno -?\d+\] ([^')\]]+)|(?:Caused by|: )(\w+Error[^')]*)", text)
    return (m.group(1) or m.group(2)).strip() if m else text[:120]


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def decode(data: bytes, content_type: str = "") -> str:
    """The page's text: the charset the server or the page names, else UTF-8 (Korean pages
    that are neither say EUC-KR/CP949 in their meta tag)."""
    names = []
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", content_type, re.I)
    if m:
        names.append(m.group(1))
    m = _META_CHARSET.search(data[:4096])
    if m:
        names.append(m.group(1).decode("ascii"))
    for name in names + ["utf-8"]:
        name = "cp949" if name.lower() in ("euc-kr", "ks_c_5601-1987", "ksc5601") else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")
