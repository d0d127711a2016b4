#!/usr/bin/env python3
"""Delivery latency from rule firing to receiver, through the real daemon.

A local /metrics serves `flag{n="0"} … flag{n="N-1"}`, all 0. The rule `flag == 1` (for: 0s) is
grouped by `n`, so each flag that is raised becomes its own alert group, delivered to a local
webhook that stamps each arrival. Flags are raised one at a time, each after the previous
notification arrived. For every alert:

    latency = arrival − startsAt − group_wait

where `startsAt` is the alert's firedAt: the timestamp of the evaluation that fired it (scrape and
evaluation-interval alignment are excluded by construction). Prints min / median / max.

    swift build --product lookout          # or -c release
    python3 Benchmarks/notify_latency.py [--bin PATH] [--alerts 25] [--group-wait 1s]
"""
import argparse
import datetime
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPO = pathlib.Path(__file__).resolve().parents[1]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(handler):
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("LOOKOUT_BIN"))
    ap.add_argument("--alerts", type=int, default=25)
    ap.add_argument("--group-wait", default="1s")
    args = ap.parse_args()
    binary = args.bin or os.path.join(subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True,
                                                     text=True, check=True).stdout.strip(), "lookout")
    group_wait = parse_duration(args.group_wait)

    flags = [0] * args.alerts
    arrivals = []  # (arrival time, payload)
    lock = threading.Lock()

    class Metrics(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            body = "# TYPE flag gauge\n" + "".join(f'flag{{n="{i}"}} {v}\n' for i, v in enumerate(flags))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

    class Hook(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            arrived = time.time()
            with lock:
                arrivals.append((arrived, json.loads(body)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    metrics, hook = serve(Metrics), serve(Hook)
    work = tempfile.mkdtemp(prefix="lookout-latency-")
    config = pathlib.Path(work, "lookout.yml")
    config.write_text(f"""
global: {{evaluation_interval: 1s, scrape_interval: 1s, listen: ""}}
scrape:
  - job: flags
    targets: [127.0.0.1:{metrics.server_address[1]}]
alerts:
  - name: Flag
    expr: flag == 1
    for: 0s
notify:
  channels:
    hook: {{webhook: {{url: "http://127.0.0.1:{hook.server_address[1]}/hook"}}}}
  default_channels: [hook]
  group_by: [alertname, n]
  group_wait: {args.group_wait}
  group_interval: 1m
  repeat_interval: 1h
  send_resolved: false
""")
    daemon = subprocess.Popen([binary, "run", "--config", str(config), "--data-dir", os.path.join(work, "data")],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "stderr.log"), "wb"))
    latencies = []
    try:
        time.sleep(2)  # first scrapes: every flag exists at 0 before any is raised
        for i in range(args.alerts):
            flags[i] = 1
            deadline = time.time() + 30
            while time.time() < deadline:
                with lock:
                    hit = [(t, p) for t, p in arrivals if p["groupLabels"].get("n") == str(i)]
                if hit:
                    break
                time.sleep(0.005)
            else:
                sys.exit(f"alert {i} never arrived; see {work}/stderr.log")
            arrived, payload = hit[0]
            starts = iso(payload["alerts"][0]["startsAt"])
            latencies.append(arrived - starts - group_wait)
    finally:
        daemon.terminate()
        daemon.wait(10)
    ms = sorted(x * 1000 for x in latencies)
    print(f"delivery latency beyond group_wait ({args.group_wait}), {len(ms)} alerts, {os.path.basename(os.path.dirname(binary))} build:")
    print(f"  min {ms[0]:.1f} ms   median {statistics.median(ms):.1f} ms   max {ms[-1]:.1f} ms")
    shutil.rmtree(work, ignore_errors=True)


def iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def parse_duration(text):
    units = {"ms": 0.001, "s": 1, "m": 60}
    for unit in ("ms", "s", "m"):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit]
    raise SystemExit(f"bad duration {text}")


if __name__ == "__main__":
    main()
