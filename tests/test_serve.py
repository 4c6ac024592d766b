"""`audiogen serve` over real HTTP on loopback: ranges, HEAD, MIME types, and nothing outside the folder."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import threading
import weakref
import time
from pathlib import Path

import pytest

from audiogen.errors import AudiogenError
from audiogen.feed import serve

SECRET = b"TOP-SECRET-OUTSIDE-THE-SITE"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("serve")
    (base / "secret.txt").write_bytes(SECRET)  # beside the site, must never be served
    out = base / "site"
    (out / "episodes").mkdir(parents=True)
    (out / "episodes" / "a.mp3").write_bytes(bytes(range(256)) * 40)  # 10240 bytes
    (out / "episodes" / "a.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\n안녕\n", encoding="utf-8")
    (out / "episodes" / "a.chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    (out / "feed.xml").write_bytes(b"<?xml version='1.0'?><rss version='2.0'/>")
    (out / "index.html").write_text("<!DOCTYPE html><title>hi</title>", encoding="utf-8")
    (out / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0fakejpeg")
    (out / "cover.png").write_bytes(b"\x89PNG fake")
    (out / "empty.mp3").write_bytes(b"")
    (out / ".hidden").write_text("hidden")
    (out / ".git").mkdir()
    (out / ".git" / "config").write_text("hidden")
    (out / "nolisting").mkdir()
    (out / "nolisting" / "x.txt").write_text("x")
    os.symlink(base / "secret.txt", out / "link-out.txt")
    os.symlink(base, out / "dir-out")
    os.symlink(out / "cover.jpg", out / "link-in.jpg")
    return out


@pytest.fixture(scope="module")
def port(site):
    server = serve.make_server(site, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def request(port: int, path: str, method: str = "GET", headers: dict | None = None):
    """Send the path exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp, body


def test_get_whole_file(site, port):
    resp, body = request(port, "/episodes/a.mp3")
    assert resp.status == 200
    assert body == (site / "episodes" / "a.mp3").read_bytes()
    assert resp.getheader("Content-Length") == "10240"
    assert resp.getheader("Accept-Ranges") == "bytes"
    assert resp.getheader("Content-Type") == "audio/mpeg"


def test_head_has_headers_and_no_body(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("HEAD", "/episodes/a.mp3")
    resp = conn.getresponse()
    assert resp.status == 200
    assert resp.getheader("Content-Length") == "10240"
    assert resp.getheader("Accept-Ranges") == "bytes"
    assert resp.read() == b""
    # the connection is still in step: a following request gets its own answer
    conn.request("GET", "/feed.xml")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.read().startswith(b"<?xml")
    conn.close()


@pytest.mark.parametrize(
    "header, start, end",
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, 10239), ("bytes=-500", 9740, 10239),
     ("bytes=0-0", 0, 0), ("bytes=10000-99999", 10000, 10239), ("bytes=-99999", 0, 10239)],
)
def test_ranges(site, port, header, start, end):
    data = (site / "episodes" / "a.mp3").read_bytes()
    resp, body = request(port, "/episodes/a.mp3", headers={"Range": header})
    assert resp.status == 206
    assert resp.getheader("Content-Range") == f"bytes {start}-{end}/10240"
    assert resp.getheader("Content-Length") == str(end - start + 1)
    assert body == data[start : end + 1]


def test_head_with_range(port):
    resp, body = request(port, "/episodes/a.mp3", "HEAD", {"Range": "bytes=10-19"})
    assert resp.status == 206 and body == b""
    assert resp.getheader("Content-Length") == "10"
    assert resp.getheader("Content-Range") == "bytes 10-19/10240"


@pytest.mark.parametrize("path, header", [("/episodes/a.mp3", "bytes=10240-"), ("/episodes/a.mp3", "bytes=20000-20001"),
                                          ("/episodes/a.mp3", "bytes=-0"), ("/empty.mp3", "bytes=0-")])
def test_unsatisfiable_range(site, port, path, header):
    size = (site / path.lstrip("/")).stat().st_size
    resp, body = request(port, path, headers={"Range": header})
    assert resp.status == 416
    assert resp.getheader("Content-Range") == f"bytes */{size}"


def test_malformed_or_multiple_ranges_get_the_whole_file(port):
    for header in ["bytes=5-2", "items=0-5", "bytes=0-1,4-5", "bytes=abc"]:
        resp, body = request(port, "/episodes/a.mp3", headers={"Range": header})
        assert resp.status == 200 and len(body) == 10240, header


def test_if_range_with_an_old_etag_sends_everything(port):
    resp, _ = request(port, "/episodes/a.mp3", headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert resp.status == 200
    etag = resp.getheader("ETag")
    resp, body = request(port, "/episodes/a.mp3", headers={"Range": "bytes=0-9", "If-Range": etag})
    assert resp.status == 206 and len(body) == 10


@pytest.mark.parametrize(
    "path, mime",
    [("/feed.xml", "application/rss+xml"), ("/episodes/a.vtt", "text/vtt"),
     ("/episodes/a.chapters.json", "application/json"), ("/", "text/html; charset=utf-8"),
     ("/index.html", "text/html; charset=utf-8"), ("/cover.jpg", "image/jpeg"), ("/cover.png", "image/png"),
     ("/episodes/a.mp3", "audio/mpeg")],
)
def test_mime_types(port, path, mime):
    resp, _ = request(port, path)
    assert resp.status == 200
    assert resp.getheader("Content-Type").startswith(mime)


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/episodes/..%2f..%2fsecret.txt",
        "/episodes/..%2f..%2f..%2fetc/passwd",
        "/episodes/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "/episodes\\..\\..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "http://evil/../secret.txt",
        "/link-out.txt",
        "/dir-out/secret.txt",
        "/%00/secret.txt",
        "/.hidden",
        "/.git/config",
        "/episodes/%2e%2e/.hidden",
        "/nolisting/",
        "/nolisting",
        "/episodes/",
        "/missing.mp3",
        "*",
    ],
)
def test_nothing_outside_or_hidden(port, path):
    for method in ("GET", "HEAD"):
        resp, body = request(port, path, method)
        assert resp.status in (400, 404), (method, path, resp.status)
        assert SECRET not in body and b"root:" not in body and b"hidden" not in body
        assert b"x.txt" not in body  # no directory listing


def test_symlink_inside_the_folder_is_fine(site, port):
    resp, body = request(port, "/link-in.jpg")
    assert resp.status == 200 and body == (site / "cover.jpg").read_bytes()


def test_query_string_is_ignored(port):
    resp, _ = request(port, "/feed.xml?x=1")
    assert resp.status == 200


def test_resolve_rejects_before_touching_disk(site):
    assert serve.resolve(site, "/episodes/a.mp3") == (site / "episodes" / "a.mp3").resolve()
    assert serve.resolve(site, "/episodes/%2e%2e/%2e%2e/secret.txt") is None
    assert serve.resolve(site, "/%ff") is None


def test_serve_calls_ready_and_prints_feed_url(site, capsys, monkeypatch):
    servers: list = []
    original = serve.make_server
    monkeypatch.setattr(serve, "make_server", lambda *a, **k: servers.append(original(*a, **k)) or servers[-1])
    urls: list[str] = []
    ready = threading.Event()

    def on_ready(url: str) -> None:
        urls.append(url)
        ready.set()

    thread = threading.Thread(target=serve.serve, args=(site, "127.0.0.1", 0, on_ready), daemon=True)
    thread.start()
    assert ready.wait(10)
    port = servers[0].server_address[1]
    resp, _ = request(port, "/feed.xml")
    assert resp.status == 200
    servers[0].shutdown()
    thread.join(10)
    assert not thread.is_alive()
    assert urls == [f"http://127.0.0.1:{port}/"]
    printed = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}/feed.xml" in printed
    assert "LAN" not in printed
    assert "--base-url" not in printed  # the fixture's feed.xml names no self URL


def test_serve_warns_when_the_feed_was_built_for_another_address(tmp_path, capsys, monkeypatch):
    (tmp_path / "feed.xml").write_text(
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        '<atom:link href="https://example.org/feed.xml" rel="self"/></channel></rss>'
    )
    serve_once(tmp_path, "127.0.0.1", monkeypatch)
    printed = capsys.readouterr().out
    assert "built for https://example.org/feed.xml" in printed and "--base-url http://127.0.0.1:" in printed


def test_serve_on_all_interfaces_mentions_the_lan_address(site, capsys, monkeypatch):
    serve_once(site, "0.0.0.0", monkeypatch)
    assert "LAN address" in capsys.readouterr().out


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(AudiogenError, match="not a folder"):
        serve.make_server(tmp_path / "nope", "127.0.0.1", 0)


def test_busy_port_is_one_clear_error(site):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(AudiogenError, match="cannot listen"):
            serve.make_server(site, "127.0.0.1", s.getsockname()[1])


def serve_once(directory, host: str, monkeypatch) -> None:
    """Run `serve()` as the command does, until it is listening, then stop it."""
    servers: list = []
    original = serve.make_server
    monkeypatch.setattr(serve, "make_server", lambda *a, **k: servers.append(original(*a, **k)) or servers[-1])
    ready = threading.Event()
    thread = threading.Thread(target=serve.serve, args=(directory, host, 0, lambda url: ready.set()), daemon=True)
    thread.start()
    assert ready.wait(10)
    servers[0].shutdown()
    thread.join(10)


# --- like a real server: raw sockets on loopback --------------------------------------


_UNREAD: "weakref.WeakKeyDictionary[socket.socket, bytes]" = weakref.WeakKeyDictionary()


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response off a raw socket: (status, headers, body); status 0 when the
    server closed the connection without answering. Bytes of the next response that arrived
    in the same read are kept for the next call (two answers often come in one segment)."""
    data = _UNREAD.pop(sock, b"")
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return 0, {}, data
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    if body[length:]:
        _UNREAD[sock] = body[length:]
    return int(lines[0].split()[1]), headers, body[:length]


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def test_kept_alive_requests_cost_no_more_than_new_connections(port):
    """Headers and body leave at once (TCP_NODELAY): with Nagle's algorithm and delayed ACKs,
    each request on a kept-alive connection waited ~40 ms, far more than opening a new one."""
    n = 31
    kept_alive, fresh = [], []  # seconds per request; medians, so a busy machine's hiccup does not count
    with connect(port) as sock:
        for _ in range(n):
            started = time.perf_counter()
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock)[0] == 200
            kept_alive.append(time.perf_counter() - started)
    for _ in range(n):
        started = time.perf_counter()
        with connect(port) as sock:
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert read_response(sock)[0] == 200
        fresh.append(time.perf_counter() - started)
    ratio = statistics.median(kept_alive) / statistics.median(fresh)
    assert ratio < 3, (statistics.median(kept_alive), statistics.median(fresh))


@pytest.mark.parametrize("header, status, start, end", [
    ("bytes=" + "9" * 5000 + "-", 416, None, None),  # starts past any file
    ("bytes=0-" + "9" * 5000, 206, 0, 10239),  # ends past the file: up to its end
    ("bytes=-" + "9" * 5000, 206, 0, 10239),  # the last "many" bytes: all of them
    ("bytes=" + "1" * 19 + "-" + "2" * 19, 416, None, None),
])
def test_huge_numbers_in_a_range_are_answered(site, port, header, status, start, end):
    with connect(port) as sock:
        sock.sendall(f"GET /episodes/a.mp3 HTTP/1.1\r\nHost: x\r\nRange: {header}\r\n\r\n".encode())
        code, headers, body = read_response(sock)
        assert code == status
        if status == 206:
            assert headers["content-range"] == f"bytes {start}-{end}/10240"
            assert body == (site / "episodes" / "a.mp3").read_bytes()[start:end + 1]
        else:
            assert headers["content-range"] == "bytes */10240"
        # and the connection is still in step
        sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock)[0] == 200


@pytest.mark.parametrize("header", ["BYTES=0-1", "Bytes=0-1", "bytes= 0-1", "bytes = 0 - 1", "bytes=0-1,",
                                    " bytes=0-1 ", "bytes=\t0-1"])
def test_range_unit_is_case_insensitive_and_whitespace_is_allowed(site, port, header):
    resp, body = request(port, "/episodes/a.mp3", headers={"Range": header})
    assert resp.status == 206, header
    assert body == (site / "episodes" / "a.mp3").read_bytes()[:2]


def test_parse_range_never_raises_on_junk():
    for header in ["bytes=" + "9" * 100_000, "bytes=" + "-" * 5000, "bytes=" + ",".join(["0-1"] * 2000),
                   "bytes=1-2-3", "bytes==0-1", "=0-1", "bytes", "x" * 10_000, "bytes=\x00-1"]:
        try:
            serve.parse_range(header, 100)
        except serve.Unsatisfiable:
            pass


def test_a_get_body_is_never_read_as_the_next_request(port):
    smuggled = b"GET /secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"
    with connect(port) as sock:
        sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(smuggled) + smuggled)
        sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.3)  # both answers wait in the socket, read together as a client on a busy phone would
        first, _, body1 = read_response(sock)
        second, headers2, body2 = read_response(sock)
    assert first == 200 and body1.startswith(b"<?xml")
    assert second == 200 and headers2["content-type"].startswith("text/html")  # not a 404 for the body


@pytest.mark.parametrize("extra", [b"Content-Length: 1000000000\r\n", b"Transfer-Encoding: chunked\r\n",
                                   b"Content-Length: nope\r\n"])
def test_a_body_too_big_or_unreadable_is_refused_and_the_connection_closed(port, extra):
    with connect(port) as sock:
        sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n" + b"x" * 100)
        code, headers, _ = read_response(sock)
        assert code in (400, 413)
        assert headers.get("connection", "").lower() == "close"
        assert sock.recv(100) == b""  # closed: nothing of the body is taken for a request


def test_an_idle_or_half_sent_request_is_closed_after_the_idle_timeout(site):
    server = serve.make_server(site, "127.0.0.1", 0, idle_timeout=0.3)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        with connect(port) as half, connect(port) as idle:
            half.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n")  # never finished
            assert half.recv(100) == b""  # the server closed it (the client waits up to 10 s)
            assert idle.recv(100) == b""
        with connect(port) as sock:  # and it still serves
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock)[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_connections_beyond_the_cap_get_503_and_the_server_recovers(site):
    server = serve.make_server(site, "127.0.0.1", 0, max_connections=2, idle_timeout=30)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        held = [connect(port), connect(port)]
        for sock in held:  # both are being served (a thread each)
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock)[0] == 200
        with connect(port) as extra:
            code, headers, _ = read_response(extra)
            assert code == 503 and headers["retry-after"] == "1"
        for sock in held:
            sock.close()
        for _ in range(100):  # the slots free as the server notices the closed connections
            with connect(port) as sock:
                sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
                if read_response(sock)[0] == 200:
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the server never served again after the held connections closed")
    finally:
        server.shutdown()
        server.server_close()


# --- nobody can hold it (issue 22 item 9) and it says what it serves (issue 20 item 5) ----


def running(site, **options):
    """A server on loopback in a thread; stop it with .shutdown() and .server_close()."""
    server = serve.make_server(site, "127.0.0.1", 0, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def connect_from(address: str, port: int) -> socket.socket:
    """A connection to 127.0.0.1 from another loopback address (Linux answers all of 127/8),
    so one test can be two clients."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.bind((address, 0))
    sock.connect(("127.0.0.1", port))
    return sock


def get_feed(port: int, address: str = "127.0.0.1") -> int:
    with connect_from(address, port) as sock:
        sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return read_response(sock)[0]


def test_a_trickled_request_head_is_cut_off_by_a_total_deadline(site):
    """Every connection sends one byte well inside the idle timeout, forever; the head's total
    deadline closes them all, and a real request is then served. (Before, each byte restarted
    the idle timeout and the tricklers held every slot.)"""
    server = running(site, idle_timeout=5, header_timeout=0.5, max_connections=4, per_client=4)
    try:
        port = server.server_address[1]
        tricklers = [connect_from("127.0.0.2", port) for _ in range(4)]
        request_head = b"GET /feed.xml HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"y" * 1000
        closed: set[int] = set()
        for step in range(60):  # at most ~6 s of trickling; the deadline is 0.5 s
            for i, sock in enumerate(tricklers):
                if i in closed:
                    continue
                try:
                    sock.sendall(request_head[step:step + 1])
                except OSError:
                    closed.add(i)
                    continue
                sock.settimeout(0.001)
                try:
                    if sock.recv(100) == b"":
                        closed.add(i)
                except (BlockingIOError, TimeoutError):
                    pass
                except OSError:
                    closed.add(i)
            if len(closed) == len(tricklers):
                break
            time.sleep(0.1)
        assert closed == set(range(4)), "trickling connections were never closed"
        for _ in range(100):  # the slots free as the handler threads end
            if get_feed(port) == 200:
                break
            time.sleep(0.05)
        else:
            pytest.fail("a real request was never served after the tricklers were cut off")
    finally:
        for sock in tricklers:
            sock.close()
        server.shutdown()
        server.server_close()


def test_one_address_cannot_take_every_connection(site):
    server = running(site, idle_timeout=30, header_timeout=30, max_connections=4, per_client=2)
    held: list[socket.socket] = []
    try:
        port = server.server_address[1]
        held = [connect_from("127.0.0.2", port) for _ in range(2)]
        for sock in held:  # both served, and kept alive
            sock.sendall(b"GET /feed.xml HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock)[0] == 200
        for _ in range(3):  # a third, fourth, fifth from the same address: refused at once
            with connect_from("127.0.0.2", port) as extra:
                code, _, body = read_response(extra)
                assert code == 503 and b"your address" in body
        assert get_feed(port, "127.0.0.1") == 200  # another address still gets in
        assert get_feed(port, "127.0.0.3") == 200
    finally:
        for sock in held:
            sock.close()
        server.shutdown()
        server.server_close()


def test_a_fifo_in_the_folder_is_a_404_and_never_hangs(tmp_path):
    (tmp_path / "feed.xml").write_text("<rss/>")
    os.mkfifo(tmp_path / "feed-fifo.xml")
    (tmp_path / "episodes").mkdir()
    os.mkfifo(tmp_path / "episodes" / "index.html")  # a FIFO where a page would be
    server = running(tmp_path, idle_timeout=5, max_connections=2, per_client=2)
    try:
        port = server.server_address[1]
        for _ in range(5):  # more requests than slots: each is answered and its slot freed
            for path in (b"/feed-fifo.xml", b"/episodes/", b"/episodes"):
                with connect(port) as sock:
                    sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    assert read_response(sock)[0] == 404
                    assert sock.recv(1) == b""  # closed by the server, which gave its slot back first
        assert get_feed(port) == 200
    finally:
        server.shutdown()
        server.server_close()


def test_open_regular_refuses_what_is_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    (tmp_path / "file").write_bytes(b"ok")
    assert serve.open_regular(tmp_path / "fifo") is None
    assert serve.open_regular(tmp_path / "dir") is None
    assert serve.open_regular(tmp_path / "missing") is None
    with serve.open_regular(tmp_path / "file") as f:
        assert f.read() == b"ok"


def test_each_request_is_one_access_line_on_stderr(site, capfd):
    server = running(site)
    try:
        port = server.server_address[1]
        with connect(port) as sock:
            sock.sendall(b"GET /episodes/a.mp3 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99\r\n\r\n")
            assert read_response(sock)[0] == 206
            sock.sendall(b"GET /nope%1b[2J\x7f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert read_response(sock)[0] == 404
        assert request(port, "/feed.xml", "HEAD")[0].status == 200
        assert get_feed(port) == 200
    finally:
        server.shutdown()
        server.server_close()
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 4, lines
    ranged, missing, head, whole = (line.split() for line in lines)
    assert ranged[0] == "127.0.0.1" and ranged[3:] == ["GET", "/episodes/a.mp3", "206", "100", "range=bytes=0-99"]
    assert head[3:] == ["HEAD", "/feed.xml", "200", "0", "range=-"]
    assert missing[3:5] == ["GET", "/nope%1b[2J\\x7f"] and missing[5] == "404"
    feed_size = (site / "feed.xml").stat().st_size
    assert whole[3:] == ["GET", "/feed.xml", "200", str(feed_size), "range=-"]
    assert "\x1b" not in "".join(lines) and "\x7f" not in "".join(lines)


def test_quiet_writes_no_access_lines(site, capfd):
    server = running(site, quiet=True)
    try:
        assert get_feed(server.server_address[1]) == 200
    finally:
        server.shutdown()
        server.server_close()
    assert capfd.readouterr().err == ""


def test_access_line_fields_are_safe():
    line = serve.access_line("::1", "GET", "/a b\n127.0.0.1 forged\u202e", 200, 5, "bytes=0-\x1b[31m")
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line
    assert line.split()[3:] == ["GET", "/a%20b\\x0a127.0.0.1%20forged\\u202e", "200", "5", "range=bytes=0-\\x1b[31m"]
    assert len(serve.access_line("h", "GET", "/" + "x" * 100000, 200, 0, None)) < 400
