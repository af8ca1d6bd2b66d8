"""A small real HTTP server on 127.0.0.1 that answers the way Helicone fails.

Tests queue replies per path (`server.reply(path, Reply(...), ...)`: each request takes the next,
the last one repeats) and read back what the client sent (`server.requests`). It runs in a thread
of the test process, so a CLI subprocess can talk to it while the test waits.

Hostile answers too: a body made from the request (to echo the key back), huge bodies streamed
without being held (`repeat`, `chunked`), gzip bombs (`gzip=True` on a big `repeat`), any reason
phrase, any header value.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    # dict/list -> JSON; str/bytes -> as is; a callable gets the Recorded request and returns one.
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    stall: float = 0.0  # seconds to wait before answering (cut short when the server stops)
    drop: bool = False  # close the connection without answering
    reason: str | None = None  # the reason phrase, as is (default: the standard one)
    repeat: int = 1  # the body this many times over, streamed: 50 MB without holding 50 MB
    chunked: bool = False  # Transfer-Encoding: chunked, so no length is declared up front
    gzip: bool = False  # Content-Encoding: gzip, compressed as it streams (a bomb if big)


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = 0.0  # time.monotonic() when it arrived

    def json(self) -> Any:
        return json.loads(self.body)


OK_SCORES = Reply(200, {"data": [], "error": None})


class FaultServer:
    def __init__(self) -> None:
        self._queues: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[Recorded] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._queues[path] = list(replies)

    def _next(self, path: str) -> Reply:
        with self._lock:
            queue = self._queues.get(path)
            if not queue:
                return Reply(404, {"error": f"no route {path}"})
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                with server._lock:
                    server.requests.append(
                        Recorded(self.command, path, dict(self.headers.items()), body,
                                 time.monotonic())
                    )
                reply = server._next(path)
                if reply.stall:
                    server._stopping.wait(reply.stall)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                body = reply.body(server.requests[-1]) if callable(reply.body) else reply.body
                if isinstance(body, dict | list) or body is None:
                    payload = json.dumps(body).encode() if body is not None else b""
                    ctype = reply.content_type or "application/json; charset=utf-8"
                elif isinstance(body, str):
                    payload = body.encode("utf-8", "surrogatepass")
                    ctype = reply.content_type or "text/plain; charset=utf-8"
                else:
                    payload = body
                    ctype = reply.content_type or "application/octet-stream"
                try:
                    self._send(reply, payload, ctype)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client stopped reading: that is allowed

            def _send(self, reply: Reply, payload: bytes, ctype: str) -> None:
                self.send_response_only(reply.status, reply.reason)
                self.send_header("Content-Type", ctype)
                pieces = _stream(payload, reply.repeat, reply.gzip)
                if reply.gzip:
                    self.send_header("Content-Encoding", "gzip")
                if reply.chunked or reply.gzip:
                    self.send_header("Transfer-Encoding", "chunked")
                elif reply.status != 204:
                    self.send_header("Content-Length", str(len(payload) * reply.repeat))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.status == 204:
                    return
                for piece in pieces:
                    if not piece:
                        continue
                    if reply.chunked or reply.gzip:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    else:
                        self.wfile.write(piece)
                if reply.chunked or reply.gzip:
                    self.wfile.write(b"0\r\n\r\n")

            do_GET = _answer
            do_POST = _answer

        return Handler


def _stream(payload: bytes, repeat: int, compress: bool) -> Iterator[bytes]:
    """The body `repeat` times over in pieces of about 1 MB, gzip-compressed on the fly if asked."""
    per_piece = max(1, (1 << 20) // max(1, len(payload)))
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS) if compress else None
    left = repeat
    while left > 0:
        n = min(per_piece, left)
        left -= n
        yield z.compress(payload * n) if z else payload * n
    if z:
        yield z.flush()


if __name__ == "__main__":  # handy by hand: a server that answers scores with an empty list
    with FaultServer() as fs:
        fs.reply("/v1/dashboard/scores/query", OK_SCORES)
        fs.reply("/healthcheck", Reply(200, "healthy"))
        print(fs.url, flush=True)
        time.sleep(3600)
