"""A small local web server for benchmarks and screenshots: every GET gets a page."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(page: bytes | Callable[[str], bytes],
          content_type: str = "text/html; charset=utf-8") -> tuple[ThreadingHTTPServer, str]:
    """Serve *page* (or ``page(path)``) on 127.0.0.1; returns the server and its base URL.

    ``page(path)`` may also answer ``(status, headers, body)`` (a 404, a redirect...)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            body = page(self.path) if callable(page) else page
            status, headers = 200, {}
            if isinstance(body, tuple):
                status, headers, body = body
            self.send_response(status)
            for name, value in {"Content-Type": content_type, **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
