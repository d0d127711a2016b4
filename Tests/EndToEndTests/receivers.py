"""A recording HTTP receiver standing in for Slack, PagerDuty, webhooks and monitored apps.
It speaks plain HTTP/1.1 on 127.0.0.1, records every request, and answers as scripted."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True


class Receiver:
    def __init__(self):
        self.requests = []           # (method, path, headers, body bytes)
        self.status = 200
        self.body = b"ok"
        self.routes = {}             # path -> (status, content_type, body) for GETs
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver.lock:
                    receiver.requests.append((self.command, self.path, dict(self.headers), body))

            def _answer(self, status, ctype, body):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                self._record()
                self._answer(receiver.status, "text/plain", receiver.body)

            def do_GET(self):
                self._record()
                route = receiver.routes.get(self.path.split("?")[0])
                if route:
                    status, ctype, body = route() if callable(route) else route
                    self._answer(status, ctype, body)
                else:
                    self._answer(404, "text/plain", b"not found")

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def posts(self, path=None):
        with self.lock:
            return [r for r in self.requests if r[0] == "POST" and (path is None or r[1] == path)]

    def json_posts(self, path=None):
        return [json.loads(r[3]) for r in self.posts(path)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
