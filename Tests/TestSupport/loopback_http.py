#!/usr/bin/env python3
"""Loopback HTTP(S) server for Lookout's tests. Prints "PORT <n>" once listening.

Routes (query parameters in brackets):
  /ok                         200 "ok healthy"
  /respond[status,body,type,delay_ms]  any status and body after an optional delay
  /slow[ms]                   200 after ms milliseconds
  /echo                       200 JSON {method, path, headers, body}
  /peer[delay_ms]             200, the client's port (which connection the request came on)
  /gzip                       200, body gzip-encoded when the client accepts gzip
  /redirect/loop              302 to itself
  /redirect/chain/<n>         302 n times, then /ok
  /big[n, chunked]            n bytes of 'x', with Content-Length unless chunked=1
  /reset                      promises 1000 bytes, sends 10, then resets the connection
  /file[path, type, gzip]     serves a file from disk
  /metrics/echo-headers       the request headers as samples echo_header{name,value} 1
"""
import argparse, gzip, json, socket, ssl, struct, time
from urllib.parse import urlparse, parse_qs
from loopback_common import QuietHandler, Server, serve



class Handler(QuietHandler):
    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        self.do_GET()

    def do_PUT(self):
        self.do_GET()

    def do_DELETE(self):
        self.do_GET()

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        p = url.path
        if p == "/ok":
            self.reply(200, b"ok healthy")
        elif p == "/respond":
            time.sleep(int(q.get("delay_ms", "0")) / 1000)
            self.reply(int(q.get("status", "200")), q.get("body", "").encode(), q.get("type", "text/plain"))
        elif p == "/slow":
            time.sleep(int(q.get("ms", "1000")) / 1000)
            self.reply(200, b"slow")
        elif p == "/peer":
            time.sleep(int(q.get("delay_ms", "0")) / 1000)
            self.reply(200, str(self.client_address[1]).encode())
        elif p == "/echo":
            doc = {"method": self.command, "path": self.path,
                   "headers": {k: v for k, v in self.headers.items()},
                   "body": body.decode("latin-1")}
            self.reply(200, json.dumps(doc).encode(), "application/json")
        elif p == "/gzip":
            text = b"compressed " * 100
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                self.reply(200, gzip.compress(text), extra=[("Content-Encoding", "gzip")])
            else:
                self.reply(200, text)
        elif p == "/redirect/loop":
            self.reply(302, extra=[("Location", "/redirect/loop")])
        elif p.startswith("/redirect/chain/"):
            n = int(p.rsplit("/", 1)[1])
            self.reply(302, extra=[("Location", "/redirect/chain/%d" % (n - 1) if n > 1 else "/ok")])
        elif p == "/big":
            n = int(q.get("n", "1000"))
            if q.get("chunked") == "1":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"x" * 4096
                sent = 0
                while sent < n:
                    part = chunk[: min(4096, n - sent)]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    sent += len(part)
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.reply(200, b"x" * n)
        elif p == "/reset":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif p == "/metrics/echo-headers":
            lines = ['echo_header{name="%s",value="%s"} 1' % (k.lower(), v.replace("\\", "\\\\").replace('"', '\\"'))
                     for k, v in self.headers.items()]
            self.reply(200, ("\n".join(lines) + "\n").encode(), "text/plain; version=0.0.4")
        elif p == "/file":
            with open(q["path"], "rb") as f:
                data = f.read()
            extra = []
            if q.get("gzip") == "1":
                data = gzip.compress(data)
                extra.append(("Content-Encoding", "gzip"))
            self.reply(200, data, q.get("type", "text/plain; version=0.0.4"), extra)
        else:
            self.reply(404, b"not found")




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    args = ap.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    serve(server)


if __name__ == "__main__":
    main()
