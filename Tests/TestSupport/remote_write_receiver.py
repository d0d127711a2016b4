#!/usr/bin/env python3
"""Prometheus remote-write receiver for tests and benchmarks. Prints "PORT <n>".

  POST <any path>        answered by the next scripted response, else 200 (or --default-status).
                         Each accepted body is snappy-decompressed (Debian's libsnappy through
                         ctypes) and its WriteRequest walked to count series and samples.
  POST /_script          body: JSON list of responses used in order:
                         {"status": 503, "body": "...", "retry_after": "1"}
  GET  /_received        JSON list of {status, headers, body (hex of the compressed body)}
                         (not kept with --count-only)
  GET  /_stats           JSON {"requests", "accepted", "wire_bytes", "raw_bytes", "series", "samples"}
                         over accepted requests that carry samples ("without_samples" counts the others)
"""
import argparse, ctypes, json, threading
from loopback_common import QuietHandler, Server, serve

snappy = ctypes.CDLL("libsnappy.so.1")
lock = threading.Lock()
script, received = [], []
stats = {"requests": 0, "accepted": 0, "without_samples": 0, "wire_bytes": 0, "raw_bytes": 0, "series": 0, "samples": 0}
options = None


def uncompress(data):
    n = ctypes.c_size_t()
    if snappy.snappy_uncompressed_length(data, ctypes.c_size_t(len(data)), ctypes.byref(n)) != 0:
        raise ValueError("bad snappy header")
    out = ctypes.create_string_buffer(n.value)
    if snappy.snappy_uncompress(data, ctypes.c_size_t(len(data)), out, ctypes.byref(n)) != 0:
        raise ValueError("bad snappy block")
    return out.raw[:n.value]


def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def fields(buf, start, end):
    """Yields (field number, wire type, payload start, payload end) of length-delimited fields."""
    i = start
    while i < end:
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 2:
            n, i = varint(buf, i)
            yield number, i, i + n
            i += n
        elif wire == 0:
            _, i = varint(buf, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError("wire type %d" % wire)


def count(raw):
    series = samples = 0
    for number, s, e in fields(raw, 0, len(raw)):
        if number == 1:
            series += 1
            samples += sum(1 for n, _, _ in fields(raw, s, e) if n == 2)
    return series, samples



class Handler(QuietHandler):
    def do_GET(self):
        with lock:
            if self.path == "/_received":
                return self.reply(200, json.dumps(received).encode())
            if self.path == "/_stats":
                return self.reply(200, json.dumps(stats).encode())
        self.reply(404)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/_script":
            with lock:
                script[:] = json.loads(body)
            return self.reply(200, b"{}")
        with lock:
            response = script.pop(0) if script else {"status": options.default_status}
        status = response.get("status", 200)
        samples = 0
        if status // 100 == 2:
            try:
                raw = uncompress(body)
                series, samples = count(raw)
            except (ValueError, IndexError) as e:
                status, response = 400, {"body": "undecodable body: %s" % e}
        with lock:
            stats["requests"] += 1
            if status // 100 == 2 and samples == 0:
                stats["without_samples"] += 1   # metadata-only requests (Prometheus sends them too)
            elif status // 100 == 2:
                stats["accepted"] += 1
                stats["wire_bytes"] += len(body)
                stats["raw_bytes"] += len(raw)
                stats["series"] += series
                stats["samples"] += samples
            if not options.count_only:
                received.append({"status": status, "headers": dict(self.headers.items()), "body": body.hex()})
        extra = [("Retry-After", response["retry_after"])] if "retry_after" in response else []
        self.reply(status, response.get("body", "").encode(), extra=extra)




def main():
    global options
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--default-status", type=int, default=200)
    ap.add_argument("--count-only", action="store_true")
    options = ap.parse_args()
    server = Server(("127.0.0.1", options.port), Handler)
    serve(server)


if __name__ == "__main__":
    main()
