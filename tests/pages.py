"""A loopback web server for the page fixtures (tests/fixtures/pages/, written by us in each
platform's shape): the only thing faked is the internet, the HTTP is real."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "fixtures" / "pages"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0  # seconds before the body, to play a slow server
    drip: float = 0.0  # seconds between each 16 bytes of the body, to play a server that trickles


class Site:
    """Routes by path; every request's User-Agent is kept for the tests to read."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.agents: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.agents.append(self.headers.get("User-Agent", ""))
                route = site.routes.get(self.path)
                if route is None:
                    route = Route(404, b"<html><body>not here</body></html>")
                self.send_response(route.status)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in route.headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                if route.delay:
                    time.sleep(route.delay)
                try:
                    if route.drip:
                        for i in range(0, len(route.body), 16):
                            self.wfile.write(route.body[i:i + 16])
                            self.wfile.flush()
                            time.sleep(route.drip)
                    else:
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def page(self, path: str, fixture: str) -> str:
        self.routes[path] = Route(body=(PAGES / fixture).read_bytes())
        return self.base + path

    def __enter__(self) -> "Site":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
