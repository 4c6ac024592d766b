"""`audiogen serve`: a small static server a podcast app on the desk can use.

Why not `http.server` or `rangehttpserver`: the stdlib handler ignores Range
(Apple's app needs 206) and lists directories; rangehttpserver 1.4 answers
suffix ranges (``bytes=-500``) with 400, sends 416 without
``Content-Range: bytes */size``, and its copy loop treats ``bytes=0-0`` as
"to the end". Podcast apps live on exactly these requests, so this handler
does GET/HEAD and single byte ranges itself, in a few lines we can test.

Safety: only regular, non-hidden files under the served folder, after
resolving symlinks; anything else (``..`` in any encoding, backslashes,
directories without index.html) is a plain 404.

Like a real server: headers and body leave at once (TCP_NODELAY), Range numbers
of any length never reach int() unbounded, a GET's body is read and dropped (or
refused when large), a connection idle for `idle_timeout` seconds is closed, and
at most `max_connections` are served at once (the rest get 503). Request lines
and headers are bounded by http.server (64 KiB a line, 100 headers).
"""

from __future__ import annotations

import os
import re
import socket
import stat
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from lxml import etree

from ..errors import AudiogenError

from .manifest import FEED_FILE, PAGE_FILE

MIME = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".wav": "audio/wav",
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}


def content_type(name: str) -> str:
    if name == FEED_FILE:
        return "application/rss+xml; charset=utf-8"
    return MIME.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive


class Unsatisfiable(Exception):
    pass


# RFC 9110 §14.2: the range unit is case-insensitive; a range set is a comma list whose
# elements may carry whitespace around them. Numbers longer than 18 digits are beyond any
# file (and beyond a cheap int()), so they are read as "more than the file has".
_RANGE = re.compile(r"([A-Za-z]+)[ \t]*=[ \t]*(.*)", re.S)
_SPEC = re.compile(r"(\d*)[ \t]*-[ \t]*(\d*)")
_MAX_DIGITS = 18
MAX_RANGE_HEADER = 8192  # longer Range headers are ignored (the regexes stay cheap)


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """One byte range from a Range header; None means "send it all".

    Malformed, over-long or multi-range headers are ignored (RFC 9110 allows a
    server to), and a range that starts past the end raises Unsatisfiable.
    """
    if not header or len(header) > MAX_RANGE_HEADER:
        return None
    m = _RANGE.fullmatch(header.strip())
    if not m or m.group(1).lower() != "bytes":
        return None
    specs = [spec.strip() for spec in m.group(2).split(",") if spec.strip()]
    if len(specs) != 1:
        return None
    spec = _SPEC.fullmatch(specs[0])
    if not spec or (not spec.group(1) and not spec.group(2)):
        return None
    first, last = spec.groups()
    if not first:  # suffix: the last N bytes
        n = _number(last)
        if n == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - n), size - 1)
    start = _number(first)
    if last and _number(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable
    end = _number(last) if last else size - 1
    return ByteRange(start, min(end, size - 1))


def resolve(root: Path, url_path: str) -> Path | None:
    """The file a URL path names under root, or None if it must not be served."""
    path = urlsplit(url_path).path
    if not path.startswith("/"):
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\x00" in decoded:
        return None
    parts = [p for p in decoded.split("/") if p]
    if any(p.startswith(".") or ":" in p for p in parts):
        return None  # "..", ".", hidden files, drive letters
    candidate = root.joinpath(*parts)
    if decoded.endswith("/") or not parts:
        candidate = candidate / PAGE_FILE
    try:
        real = candidate.resolve(strict=True)
        root_real = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root_real and root_real not in real.parents:
        return None  # a symlink pointing out of the folder
    if any(p.startswith(".") for p in real.relative_to(root_real).parts):
        return None
    return real


MAX_REQUEST_BODY = 64 * 1024  # a GET's body is read and dropped up to this size; larger is refused
IDLE_TIMEOUT = 30.0  # seconds a connection may sit idle (or trickle a request) before it is closed
MAX_CONNECTIONS = 64  # connections served at once; more are answered 503 and closed
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\n"
         b"Content-Length: 24\r\nConnection: close\r\n\r\n503 Service Unavailable\n")


class Server(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` at once, each closed after
    `idle_timeout` seconds without progress."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address, handler, idle_timeout: float = IDLE_TIMEOUT,
                 max_connections: int = MAX_CONNECTIONS):
        self.idle_timeout = idle_timeout
        self.slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(_BUSY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address) -> None:
        """A client that went away or sent garbage is not news; anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"audiogen serve: {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder, with single byte ranges."""

    server_version = "audiogen"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, directory: Path, quiet: bool = True, **kwargs):
        self.root = Path(directory)
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        # a connection that sends nothing for this long is closed (socketserver applies it
        # to every read and write); headers and body leave at once, not after a delayed ACK
        self.timeout = getattr(self.server, "idle_timeout", None)
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def do_GET(self) -> None:
        if self._body_refused():
            return
        self._serve(body=True)

    def do_HEAD(self) -> None:
        if self._body_refused():
            return
        self._serve(body=False)

    def _body_refused(self) -> bool:
        """A GET or HEAD with a body: a small one is read and dropped, so it is never taken
        for the next request on the connection; a large, chunked or unreadable one is refused
        and the connection closed."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._status(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, True, {"Connection": "close"})
            return True
        length = self.headers.get("Content-Length")
        if length is None:
            return False
        length = length.strip()
        if not length.isdigit() or len(length) > 12:
            self.close_connection = True
            self._status(HTTPStatus.BAD_REQUEST, True, {"Connection": "close"})
            return True
        n = int(length)
        if n > MAX_REQUEST_BODY:
            self.close_connection = True
            self._status(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, True, {"Connection": "close"})
            return True
        while n > 0:
            chunk = self.rfile.read(min(n, 16 * 1024))
            if not chunk:
                self.close_connection = True
                return True
            n -= len(chunk)
        return False

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (stdlib signature)
        if not self.quiet:
            super().log_message(format, *args)

    def _serve(self, body: bool) -> None:
        target = resolve(self.root, self.path)
        if target is not None and target.is_dir():
            # /episodes -> /episodes/ so the page's relative URLs resolve
            if (target / PAGE_FILE).is_file():
                location = quote(unquote(urlsplit(self.path).path)) + "/"
                return self._status(HTTPStatus.MOVED_PERMANENTLY, body, {"Location": location})
            target = None
        if target is None:
            return self._status(HTTPStatus.NOT_FOUND, body)
        try:
            f = open(target, "rb")
        except OSError:
            return self._status(HTTPStatus.NOT_FOUND, body)
        with f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                return self._status(HTTPStatus.NOT_FOUND, body)
            size = st.st_size
            etag = f'"{st.st_mtime_ns:x}-{size:x}"'
            headers = {
                "Content-Type": content_type(target.name),
                "Accept-Ranges": "bytes",
                "ETag": etag,
                "Last-Modified": formatdate(st.st_mtime, usegmt=True),
                "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff",
            }
            if self.headers.get("If-None-Match") == etag:
                return self._status(HTTPStatus.NOT_MODIFIED, False, headers)
            byte_range = None
            if_range = self.headers.get("If-Range")
            if if_range is None or if_range in (etag, headers["Last-Modified"]):
                try:
                    byte_range = parse_range(self.headers.get("Range"), size)
                except Unsatisfiable:
                    return self._status(
                        HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, body, {"Content-Range": f"bytes */{size}"}
                    )
            if byte_range is None:
                start, length, code = 0, size, HTTPStatus.OK
            else:
                start, length = byte_range.start, byte_range.end - byte_range.start + 1
                code = HTTPStatus.PARTIAL_CONTENT
                headers["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
            self.send_response(code)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if body:
                self._copy(f, start, length)

    def _copy(self, f, start: int, length: int) -> None:
        f.seek(start)
        try:
            while length > 0:
                chunk = f.read(min(64 * 1024, length))
                if not chunk:
                    break
                self.wfile.write(chunk)
                length -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # players abort media requests all the time

    def _status(self, code: HTTPStatus, body: bool, headers: dict[str, str] | None = None) -> None:
        text = f"{code.value} {code.phrase}\n".encode() if code != HTTPStatus.NOT_MODIFIED else b""
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if code != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if body and text:
            self.wfile.write(text)


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = True,
                idle_timeout: float = IDLE_TIMEOUT, max_connections: int = MAX_CONNECTIONS) -> Server:
    """A ready server for `directory` (port 0 picks a free port); call serve_forever()."""
    directory = Path(directory)
    if not directory.is_dir():
        raise AudiogenError(f"nothing to serve: {directory} is not a folder (run `audiogen build` first)")
    server_class = Server
    if ":" in host:
        server_class = type("ServerV6", (Server,), {"address_family": socket.AF_INET6})
    try:
        return server_class((host, port), partial(Handler, directory=directory.resolve(), quiet=quiet),
                            idle_timeout=idle_timeout, max_connections=max_connections)
    except OSError as e:
        raise AudiogenError(f"cannot listen on {host}:{port}: {e.strerror or e} (try another --port)") from None


def _lan_address() -> str | None:
    """This machine's address on the local network (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
    except OSError:
        return None


def built_feed_url(directory: Path) -> str | None:
    """The feed URL feed.xml was built for (its atom:link rel=self), if any."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.parse(str(Path(directory) / FEED_FILE), parser).getroot()
    except (OSError, etree.XMLSyntaxError):
        return None
    link = root.find("channel/{http://www.w3.org/2005/Atom}link[@rel='self']")
    return link.get("href") if link is not None else None


def serve(
    directory: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    ready: Callable[[str], None] | None = None,
    quiet: bool = True,
) -> None:
    """Serve `directory` until interrupted; `ready(url)` is called once listening."""
    server = make_server(directory, host, port, quiet=quiet)
    bound_port = server.server_address[1]
    wildcard = host in ("0.0.0.0", "::", "")
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if wildcard else shown}:{bound_port}/"
    print(f"Serving {directory} at {url}")
    print(f"Podcast feed: {url}{FEED_FILE}")
    if wildcard:
        lan = _lan_address()
        example = f"http://{lan}:{bound_port}/{FEED_FILE}" if lan else f"http://<this machine's LAN address>:{bound_port}/{FEED_FILE}"
        print(f"On your phone, use this machine's LAN address instead: {example}")
        print("(the feed's episode links come from the base URL given at build time: build with --base-url to match)")
    built = built_feed_url(directory)
    if built and not wildcard and built != f"{url}{FEED_FILE}":
        print(f"Note: feed.xml was built for {built}; podcast apps fetch episodes from there.")
        print(f"      To listen through this server, build with --base-url {url}")
    print("Press Ctrl+C to stop.", flush=True)
    sys.stdout.flush()
    if ready is not None:
        ready(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
