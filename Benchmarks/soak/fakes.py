"""Local fakes for the soak run (127.0.0.1 only, stdlib only): health endpoints that flap, hang
or fail, an HTTPS endpoint, notification receivers that go down and come back, and an application
SQLite file written by another thread. Every loop here is bounded by a stop event."""
import json
import os
import socket
import sqlite3
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout) on a hanging endpoint is expected here


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CheckServer:
    """Health endpoints: /ok, /500, /slow (0.3 s), /hang (sleeps `hang_seconds`, then 200),
    /flap/P (up for P seconds, down (503) for P seconds). `certdir` makes it HTTPS."""

    def __init__(self, stop: threading.Event, hang_seconds=15.0, certdir=None):
        self.hits = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                server.hits += 1
                path = self.path.split("?")[0]
                ok = b'{"status":"healthy","checks":{"database":"healthy"}}'
                if path == "/500":
                    return self._answer(500, b"boom")
                if path == "/slow":
                    time.sleep(0.3)
                elif path == "/hang":
                    stop.wait(hang_seconds)
                elif path.startswith("/flap/"):
                    period = float(path.rsplit("/", 1)[1])
                    if int(time.time() / period) % 2:
                        return self._answer(503, b'{"status":"unhealthy"}')
                self._answer(200, ok)

        self.server = _Server(("127.0.0.1", 0), Handler)
        if certdir:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem"))
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def make_cert(directory: str):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=127.0.0.1",
                    "-keyout", os.path.join(directory, "key.pem"), "-out", os.path.join(directory, "cert.pem")],
                   check=True, capture_output=True)


class FlakyReceiver:
    """A webhook receiver (Slack, PagerDuty, webhook) on a fixed port that cycles through
    up (200) → failing (503) → down (port closed, connection refused) → up, `period` seconds each,
    unless `force` pins a mode. Counts the notifications it accepted."""

    def __init__(self, stop: threading.Event, period=40.0):
        self.port = free_port()
        self.accepted = 0
        self.rejected = 0
        self.force = None
        self.mode = "up"
        self._server = None
        self._lock = threading.Lock()
        self._stop = stop
        self._period = period
        self._start_server()
        threading.Thread(target=self._cycle, daemon=True).start()

    def _start_server(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                status = 200 if receiver.mode == "up" else 503
                with receiver._lock:
                    if status == 200:
                        receiver.accepted += 1
                    else:
                        receiver.rejected += 1
                body = b'{"status":"success"}' if status == 200 else b"unavailable"
                self.send_response(202 if self.path.startswith("/v2/enqueue") and status == 200 else status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        for _ in range(50):  # the port may linger for a moment after close
            try:
                self._server = _Server(("127.0.0.1", self.port), Handler)
                break
            except OSError:
                self._stop.wait(0.1)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _set(self, mode):
        if mode == self.mode:
            return
        if mode == "down" and self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        elif mode != "down" and self._server is None:
            self._start_server()
        self.mode = mode

    def _cycle(self):
        modes = ["up", "failing", "down"]
        step = 0
        while not self._stop.wait(1.0):
            wanted = self.force or modes[int(time.monotonic() / self._period) % 3]
            self._set(wanted)
            step += 1

    def close(self):
        self._set("down")


class AppDatabase:
    """An application's SQLite file (WAL mode) that another writer keeps changing: inserts a row
    every 100 ms and deletes rows older than a minute, so its size stays bounded."""

    def __init__(self, path: str, stop: threading.Event):
        self.path = path
        con = sqlite3.connect(path)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE IF NOT EXISTS calls(id INTEGER PRIMARY KEY, model TEXT, cost REAL, ts REAL)")
        con.commit()
        con.close()
        self._stop = stop
        threading.Thread(target=self._write, daemon=True).start()

    def _write(self):
        con = sqlite3.connect(self.path, timeout=5)
        n = 0
        while not self._stop.wait(0.1):
            n += 1
            now = time.time()
            try:
                con.execute("INSERT INTO calls(model, cost, ts) VALUES (?, ?, ?)", (("a", "b", "c")[n % 3], 0.01 * (n % 7), now))
                if n % 50 == 0:
                    con.execute("DELETE FROM calls WHERE ts < ?", (now - 60,))
                con.commit()
            except sqlite3.OperationalError:
                pass  # busy: the next round retries
        con.close()


def dump(obj) -> str:
    return json.dumps(obj, sort_keys=True)
