"""A fake OpenAI-compatible server on 127.0.0.1 for tests and benchmarks: scripted replies, failures, latency."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """How the server answers one request."""

    text: str = "收到。"
    status: int = 200
    delay: float = 0.0  # seconds before the first byte
    drop_after: int | None = None  # stream: close the connection after this many chunks
    garbage: bytes | None = None  # a 200 whose body is not what the SDK expects
    reasoning: str = ""  # sent as reasoning_content chunks before the answer
    chunk: int = 6  # characters per streamed chunk
    pause: float = 0.0  # seconds between streamed chunks
    repeat: int = 1  # stream: the text this many times over (a huge answer, made while it is sent)
    drip: float = 0.0  # stream: after the text, one "。" every `drip` seconds until the client hangs up
    finish: str = "stop"  # stream: the finish_reason sent at the end ("length": cut at max_tokens)


Responder = Callable[[dict[str, Any]], Reply]


class FakeOpenAI:
    """Serves /v1/chat/completions and /v1/models; records every request body."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.queue: deque[Reply] = deque()
        self.responder = responder
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply(self, *replies: Reply) -> None:
        """Queue replies for the next requests; after them the responder (or a default) answers."""
        self.queue.extend(replies)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self.queue:
                return self.queue.popleft()
        return self.responder(body) if self.responder else Reply()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                reply = server._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    self._json(
                        reply.status,
                        {"error": {"message": "scripted failure", "type": "server_error"}},
                        {"retry-after-ms": "10"},
                    )
                elif reply.garbage is not None:
                    self._raw(200, reply.garbage, "application/json")
                elif body.get("stream"):
                    try:
                        self._stream(reply, body.get("model", "fake-model"))
                    except OSError:  # the client hung up (a deadline, a stop): nothing more to send
                        self.close_connection = True
                else:
                    self._json(
                        200,
                        {
                            "id": "chatcmpl-fake",
                            "object": "chat.completion",
                            "created": int(time.time()),
                            "model": body.get("model", "fake-model"),
                            "choices": [
                                {
                                    "index": 0,
                                    "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": reply.text},
                                }
                            ],
                        },
                    )

            def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self._raw(status, data, "application/json", headers)

            def _raw(
                self, status: int, data: bytes, kind: str, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, reply: Reply, model: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()

                def event(delta: dict[str, Any] | None, finish: str | None = None) -> None:
                    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
                    chunk = {
                        "id": "chatcmpl-fake",
                        "object": "chat.completion.chunk",
                        "created": 0,
                        "model": model,
                        "choices": choices,
                    }
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()

                event({"role": "assistant", "content": ""})
                event(None)  # an empty chunk, as some providers send
                for i in range(0, len(reply.reasoning), reply.chunk):
                    event({"reasoning_content": reply.reasoning[i : i + reply.chunk]})
                pieces = (
                    reply.text[i : i + reply.chunk]
                    for _ in range(reply.repeat)
                    for i in range(0, len(reply.text), reply.chunk)
                )
                for n, piece in enumerate(pieces):
                    if reply.drop_after is not None and n >= reply.drop_after:
                        self.wfile.write(b'data: {"id": "chatcmpl-fake", "choi')
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    event({"content": piece})
                    if reply.pause:
                        time.sleep(reply.pause)
                while reply.drip:
                    time.sleep(reply.drip)
                    event({"content": "。"})
                event({}, reply.finish)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

        return Handler


if __name__ == "__main__":
    # Manual use: a fake endpoint for trying the app with an "LLM" (python -m tests.fakeopenai).
    import sys

    fake = FakeOpenAI(
        lambda body: Reply(text="（测试模型）" + body["messages"][-1]["content"][:40], delay=0.5)
    )
    fake._server.server_close()
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8765
    fake._server = ThreadingHTTPServer(("127.0.0.1", port), fake._handler())
    print(f"fake OpenAI endpoint at http://127.0.0.1:{port}/v1", flush=True)
    fake._server.serve_forever()
