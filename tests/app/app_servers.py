"""Small real HTTP servers on 127.0.0.1 for the app tests (no mocked transports).

- `RecordingProxy`: forwards every request to an upstream (the demo server) and records what the
  app sent, so a test can assert on "the request the server receives".
- `ScriptedServer`: answers every POST with a fixed status and body, optionally after a delay
  (a 401, a slow server).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Recorded:
    path: str
    body: Any
    authorized: bool  # an Authorization header was present (its value is never kept)


class _Server:
    """A ThreadingHTTPServer on a free port of 127.0.0.1, serving in a daemon thread."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> _Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> _Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (cancelled): nothing to do


class _ProxyHandler(_Quiet):
    def do_POST(self) -> None:
        proxy: RecordingProxy = self.server.owner  # type: ignore[attr-defined]
        raw = self._body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode(errors="replace")
        proxy.record(Recorded(self.path, body, "Authorization" in self.headers))
        headers = {"Content-Type": "application/json"}
        if "Authorization" in self.headers:
            headers["Authorization"] = self.headers["Authorization"]
        upstream = urllib.request.Request(
            proxy.upstream + self.path, data=raw, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(upstream, timeout=60) as answer:
                status, payload = answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        self._reply(status, payload)

    def do_GET(self) -> None:
        proxy: RecordingProxy = self.server.owner  # type: ignore[attr-defined]
        proxy.record(Recorded(self.path, None, "Authorization" in self.headers))
        headers = {}
        if "Authorization" in self.headers:  # a GET by id needs the key too
            headers["Authorization"] = self.headers["Authorization"]
        upstream = urllib.request.Request(proxy.upstream + self.path, headers=headers)
        try:
            with urllib.request.urlopen(upstream, timeout=10) as answer:
                status, payload = answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        self._reply(status, payload)


class RecordingProxy(_Server):
    """Forwards to `upstream`; `requests` lists what arrived, oldest first."""

    def __init__(self, upstream: str) -> None:
        super().__init__(_ProxyHandler)
        self.upstream = upstream.rstrip("/")
        self._lock = threading.Lock()
        self._requests: list[Recorded] = []

    def record(self, item: Recorded) -> None:
        with self._lock:
            self._requests.append(item)

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def to(self, path_end: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith(path_end)]

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()


class _ScriptedHandler(_Quiet):
    def do_POST(self) -> None:
        server: ScriptedServer = self.server.owner  # type: ignore[attr-defined]
        self._body()
        server.hits += 1
        if server.delay:
            server.stopping.wait(server.delay)
        self._reply(server.status, json.dumps(server.body).encode())


class ScriptedServer(_Server):
    """Answers every POST with `status` and `body` (JSON) after `delay` seconds."""

    def __init__(self, status: int, body: Any, delay: float = 0.0) -> None:
        super().__init__(_ScriptedHandler)
        self.status = status
        self.body = body
        self.delay = delay
        self.hits = 0
