"""A tiny forwarding HTTP proxy on 127.0.0.1 that records every request it relays.

It does what a council's web proxy does for Curator: plain ``http://`` requests arrive
with the whole address on the request line and are forwarded; ``https://`` ones arrive as
``CONNECT host:port`` and get a byte tunnel. Only loopback targets are relayed, so a test
can never reach past the machine through it.
"""

from __future__ import annotations

import http.client
import select
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

#: Headers that belong to one hop, never passed on.
HOP_HEADERS = {"connection", "keep-alive", "proxy-connection", "proxy-authorization",
               "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"}


@dataclass(frozen=True)
class Relayed:
    method: str
    target: str  # the request line's target: an absolute URL, or host:port for CONNECT
    status: int  # what the proxy answered (502 when it could not reach the site)
    headers: dict[str, str]  # the request's headers as the proxy received them


def _loopback(host: str) -> bool:
    try:
        return all(info[4][0].startswith("127.") for info in
                   socket.getaddrinfo(host, None, socket.AF_INET))
    except OSError:
        return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args) -> None:  # quiet
        pass

    def _note(self, status: int) -> None:
        self.server.owner._record(Relayed(self.command, self.path, status,
                                          {k.lower(): v for k, v in self.headers.items()}))

    def _refuse(self, status: int, why: str) -> None:
        self._note(status)
        body = why.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def _forward(self) -> None:
        parts = urlsplit(self.path)
        if parts.scheme != "http" or not parts.hostname:
            self._refuse(400, "this proxy relays absolute http:// addresses only")
            return
        if not _loopback(parts.hostname):
            self._refuse(403, "this test proxy relays to this machine only")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        upstream = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
        try:
            upstream.request(self.command, path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        except OSError as exc:
            self._refuse(502, f"the proxy could not reach {parts.hostname}: {exc}")
            return
        finally:
            upstream.close()
        self._note(answer.status)
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in HOP_HEADERS and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = _forward

    def do_CONNECT(self) -> None:
        host, _, port = self.path.rpartition(":")
        if not host or not port.isdigit() or not _loopback(host.strip("[]")):
            self._refuse(403, "this test proxy tunnels to this machine only")
            return
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except OSError as exc:
            self._refuse(502, f"the proxy could not reach {host}: {exc}")
            return
        self._note(200)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        client = self.connection
        try:
            ends = [client, upstream]
            while not self.server.owner.stopping.is_set():
                readable, _, broken = select.select(ends, [], ends, 0.2)
                if broken:
                    break
                for end in readable:
                    chunk = end.recv(65536)
                    if not chunk:
                        return
                    (upstream if end is client else client).sendall(chunk)
        except OSError:
            pass
        finally:
            upstream.close()
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: RecordingProxy


class RecordingProxy:
    """Start with ``RecordingProxy()``; ``url`` is what a person types as the proxy;
    ``relayed`` lists what went through; ``stop()`` when done (or use it as a context)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: list[Relayed] = []
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _record(self, item: Relayed) -> None:
        with self._lock:
            self._seen.append(item)

    @property
    def relayed(self) -> list[Relayed]:
        with self._lock:
            return list(self._seen)

    def targets(self) -> list[str]:
        return [r.target for r in self.relayed]

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RecordingProxy:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
