"""A small real HTTP server on 127.0.0.1 that answers the way Helicone fails.

Tests queue replies per path (`server.reply(path, Reply(...), ...)`: each request takes the next,
the last one repeats) and read back what the client sent (`server.requests`). It runs in a thread
of the test process, so a CLI subprocess can talk to it while the test waits.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes -> as is
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    stall: float = 0.0  # seconds to wait before answering (cut short when the server stops)
    drop: bool = False  # close the connection without answering


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

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
                        Recorded(self.command, path, dict(self.headers.items()), body)
                    )
                reply = server._next(path)
                if reply.stall:
                    server._stopping.wait(reply.stall)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                if isinstance(reply.body, dict | list) or reply.body is None:
                    payload = json.dumps(reply.body).encode() if reply.body is not None else b""
                    ctype = reply.content_type or "application/json; charset=utf-8"
                elif isinstance(reply.body, str):
                    payload = reply.body.encode()
                    ctype = reply.content_type or "text/plain; charset=utf-8"
                else:
                    payload = reply.body
                    ctype = reply.content_type or "application/octet-stream"
                self.send_response(reply.status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _answer
            do_POST = _answer

        return Handler


if __name__ == "__main__":  # handy by hand: a server that answers scores with an empty list
    import time

    with FaultServer() as fs:
        fs.reply("/v1/dashboard/scores/query", OK_SCORES)
        fs.reply("/healthcheck", Reply(200, "healthy"))
        print(fs.url, flush=True)
        time.sleep(3600)
