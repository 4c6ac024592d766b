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

Nobody can hold it: a request's line and headers must all arrive within
`header_timeout` seconds in total (a client trickling a byte at a time is cut
off, not kept alive by each byte), one address may hold at most `per_client`
of the connections, and only regular files are opened (checked before open,
opened non-blocking), so a FIFO in the folder is a 404, never a hung thread.

Each request is one line on stderr (client, method, path, status, body bytes
sent, the Range asked for) unless `quiet`.
"""

from __future__ import annotations

import io
import os
import re
import socket
import stat
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formatdate
from collections import Counter
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
IDLE_TIMEOUT = 30.0  # seconds a connection may sit without progress while a response is sent or a body read
HEADER_TIMEOUT = 10.0  # seconds, in total, for a request's line and headers to arrive (and for a kept-alive
# connection to send its next request): each trickled byte does not buy more time
MAX_CONNECTIONS = 64  # connections served at once; more are answered 503 and closed
PER_CLIENT = 8  # connections one address may hold at once (a browser opens 6; an app a few downloads)
MAX_LOGGED = 300  # characters of a path or Range header written to the access log


def _busy(reason: str) -> bytes:
    text = f"503 Service Unavailable: {reason}\n".encode()
    return (b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: " + str(len(text)).encode() + b"\r\nConnection: close\r\n\r\n" + text)


_BUSY = _busy("too many connections")
_BUSY_CLIENT = _busy("too many connections from your address")

_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def loggable(text: str) -> str:
    """Client-sent text as one safe log field: no control characters (a terminal escape or a newline
    cannot forge or hide lines), no spaces (fields stay apart), bounded length."""
    text = text[:MAX_LOGGED]
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                            else f"\\u{ord(m.group()):04x}", text).replace(" ", "%20") or "-"


def access_line(client: str, method: str, path: str, status: int, sent: int, byte_range: str | None) -> str:
    """One access-log line: who, what, the answer, the body bytes that left, and the Range asked for."""
    stamp = time.strftime("%d/%b/%Y %H:%M:%S")
    asked = f"range={loggable(byte_range)}" if byte_range else "range=-"
    return f"{client} [{stamp}] {loggable(method)} {loggable(path)} {status} {sent} {asked}"


class AccessLog:
    """Lines on stderr, whole (threads never interleave within a line); nothing when quiet."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self._lock = threading.Lock()

    def write(self, line: str) -> None:
        if self.quiet:
            return
        with self._lock:
            print(line, file=sys.stderr, flush=True)


class Server(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` at once and `per_client` from one
    address, each closed after `idle_timeout` seconds without progress or `header_timeout`
    seconds without a complete request head."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address, handler, idle_timeout: float = IDLE_TIMEOUT,
                 max_connections: int = MAX_CONNECTIONS, header_timeout: float = HEADER_TIMEOUT,
                 per_client: int = PER_CLIENT, quiet: bool = False):
        self.idle_timeout = idle_timeout
        self.header_timeout = header_timeout
        self.per_client = per_client
        self.access_log = AccessLog(quiet)
        self.slots = threading.BoundedSemaphore(max_connections)
        self._clients: Counter[str] = Counter()
        self._clients_lock = threading.Lock()
        super().__init__(address, handler)

    def _refuse(self, request, client_address, answer: bytes, reason: str) -> None:
        try:
            request.settimeout(1.0)
            request.sendall(answer)
        except OSError:
            pass
        self.shutdown_request(request)
        self.access_log.write(access_line(client_address[0], "-", f"({reason})", 503, 0, None))

    def _take_client_slot(self, client: str) -> bool:
        with self._clients_lock:
            if self._clients[client] >= self.per_client:
                return False
            self._clients[client] += 1
            return True

    def _free_client_slot(self, client: str) -> None:
        with self._clients_lock:
            self._clients[client] -= 1
            if self._clients[client] <= 0:
                del self._clients[client]

    def process_request(self, request, client_address) -> None:
        client = client_address[0]
        if not self._take_client_slot(client):
            return self._refuse(request, client_address, _BUSY_CLIENT, "too many connections from this address")
        if not self.slots.acquire(blocking=False):
            self._free_client_slot(client)
            return self._refuse(request, client_address, _BUSY, "too many connections")
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            self._free_client_slot(client)
            raise

    def process_request_thread(self, request, client_address) -> None:
        """socketserver's, with the slots given back before the connection closes: a client that
        has seen its connection end may connect again at once."""
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.slots.release()
            self._free_client_slot(client_address[0])
            self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """A client that went away or sent garbage is not news; anything else is one line."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"audiogen serve: {client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)


class _DeadlineSocket(io.RawIOBase):
    """The connection's reading side, under a deadline while a request head is awaited.

    socketserver's timeout applies to each recv, so a client sending one byte just
    before it expires is kept forever; here every recv gets only what is left of the
    head's total time, and none once it is spent."""

    def __init__(self, sock: socket.socket, idle_timeout: float | None):
        self.sock = sock
        self.idle_timeout = idle_timeout
        self.deadline: float | None = None
        self.received = 0  # bytes read since the deadline was set
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        timeout = self.idle_timeout
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.timed_out = True
                raise TimeoutError("the request head took too long")
            timeout = left if timeout is None else min(timeout, left)
        self.sock.settimeout(timeout)
        try:
            n = self.sock.recv_into(buffer)
        except TimeoutError:
            self.timed_out = True
            raise
        self.received += n
        return n


def open_regular(path: Path):
    """`path` opened for reading if it is a regular file, else None.

    Checked before open (opening a FIFO for reading waits for a writer, forever) and
    opened with O_NONBLOCK, so one swapped in between cannot hang the thread either;
    checked again on the open file, which is what is served."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        return os.fdopen(fd, "rb")
    except OSError:
        os.close(fd)
        return None


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder, with single byte ranges."""

    server_version = "audiogen"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, directory: Path, **kwargs):
        self.root = Path(directory)
        self.sent = 0  # body bytes of the current response that left
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        # a connection that sends nothing for this long is closed (socketserver applies it
        # to every read and write); headers and body leave at once, not after a delayed ACK
        self.timeout = getattr(self.server, "idle_timeout", None)
        super().setup()
        self.reader = _DeadlineSocket(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self.reader)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def handle_one_request(self) -> None:
        """One request, its head under a total deadline (set when waiting for it starts)."""
        header_timeout = getattr(self.server, "header_timeout", None)
        self.reader.deadline = None if header_timeout is None else time.monotonic() + header_timeout
        self.reader.received = 0
        self.reader.timed_out = False
        self.command = self.path = self.headers = None
        self.status: int | None = None
        self.sent = 0
        super().handle_one_request()
        if self.status is not None:
            byte_range = self.headers.get("Range") if self.headers is not None else None
            self.server.access_log.write(access_line(self.client_address[0], self.command or "-",
                                                     self.path or "-", self.status, self.sent, byte_range))
        elif self.reader.timed_out and self.reader.deadline is not None and self.reader.received:
            # half a request, then nothing in time: closed without an answer, as nginx logs a 408
            self.server.access_log.write(access_line(self.client_address[0], "-", "(request head too slow)",
                                                     408, 0, None))

    def _head_received(self) -> None:
        """The request head is in: from here on only the idle timeout applies (a body, a slow reader)."""
        self.reader.deadline = None
        self.connection.settimeout(self.timeout)

    def do_GET(self) -> None:
        self._head_received()
        if self._body_refused():
            return
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._head_received()
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

    def log_request(self, code="-", size="-") -> None:
        """Kept for the access line written once the body has left (its bytes are known then)."""
        self.status = int(code) if str(code).isdigit() else None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (stdlib signature)
        """http.server's own notes (timeouts, bad request lines) are said by the access line instead."""

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
        f = open_regular(target)
        if f is None:
            return self._status(HTTPStatus.NOT_FOUND, body)
        with f:
            st = os.fstat(f.fileno())
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
                self.sent += len(chunk)
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
            self.sent += len(text)


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False,
                idle_timeout: float = IDLE_TIMEOUT, max_connections: int = MAX_CONNECTIONS,
                header_timeout: float = HEADER_TIMEOUT, per_client: int = PER_CLIENT) -> Server:
    """A ready server for `directory` (port 0 picks a free port); call serve_forever()."""
    directory = Path(directory)
    if not directory.is_dir():
        raise AudiogenError(f"nothing to serve: {directory} is not a folder (run `audiogen build` first)")
    server_class = Server
    if ":" in host:
        server_class = type("ServerV6", (Server,), {"address_family": socket.AF_INET6})
    try:
        return server_class((host, port), partial(Handler, directory=directory.resolve()),
                            idle_timeout=idle_timeout, max_connections=max_connections,
                            header_timeout=header_timeout, per_client=per_client, quiet=quiet)
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
    quiet: bool = False,
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
