"""What the loopback test servers share: a threaded HTTP server that copes with bursts, a quiet
HTTP/1.1 handler with one reply helper, and the start-up contract with `ScriptServer`: exit when
the test process goes away, print `PORT <n>` once listening."""
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Server(ThreadingHTTPServer):
    request_queue_size = 1024  # the default of 5 drops SYNs under 100 concurrent clients
    daemon_threads = True
    allow_reuse_address = True  # a receiver restarted on its port must not wait for TIME_WAIT

    def handle_error(self, request, client_address):
        pass  # clients that hang up early are part of the tests, not news


class QuietHandler(BaseHTTPRequestHandler):
    content_type = "text/plain"  # of replies that do not name one
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: avoid 40 ms delayed-ACK stalls

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", ctype=None, extra=()):
        """Sends a whole response with Content-Length (no body for HEAD) and `extra` headers."""
        self.send_response(status)
        self.send_header("Content-Type", ctype or self.content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def exit_with_parent():
    """The test process holds our stdin; when it exits (even by a crash) stdin ends and so do we."""
    def watch():
        sys.stdin.buffer.read()
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def announce(port):
    """Arranges to exit with the test process, then tells it the port we listen on."""
    exit_with_parent()
    print("PORT %d" % port, flush=True)


def serve(server):
    """Announces `server`'s port and serves until the test process exits."""
    announce(server.server_address[1])
    server.serve_forever()
