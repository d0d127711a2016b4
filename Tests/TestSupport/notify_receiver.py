#!/usr/bin/env python3
"""Recording receiver for notification tests (Slack, PagerDuty, webhooks). Prints "PORT <n>".

  POST <any path>        recorded; answered by the next scripted response for that path, else
                         --default-status. PagerDuty semantics on paths ending in /v2/enqueue:
                         a trigger opens an incident per dedup_key unless one is open, a resolve closes it.
  POST /_script?path=P   body: JSON list of responses for P, used in order:
                         {"status": 500, "body": "...", "retry_after": "1", "delay_ms": 0}
  GET  /_received        JSON list of {path, status, headers, body, time} for every attempt
  GET  /_arrived         JSON list of the paths of posts as they arrived (before a scripted delay)
  GET  /_count            number of accepted (2xx) posts
  GET  /_incidents       JSON {dedup_key: {"state": "triggered"|"resolved", "opened": n}}
"""
import argparse, json, threading, time
from urllib.parse import urlparse, parse_qs
from loopback_common import QuietHandler, Server, serve

lock = threading.Lock()
scripts, received, incidents = {}, [], {}
arrived = []  # paths of posts as they arrive, before any scripted delay
default_status = 200



class Handler(QuietHandler):
    content_type = "application/json"

    def do_GET(self):
        url = urlparse(self.path)
        with lock:
            if url.path == "/_received":
                return self.reply(200, json.dumps(received).encode())
            if url.path == "/_arrived":
                return self.reply(200, json.dumps(arrived).encode())
            if url.path == "/_count":
                return self.reply(200, str(sum(1 for r in received if r["status"] // 100 == 2)).encode())
            if url.path == "/_incidents":
                return self.reply(200, json.dumps(incidents).encode())
        self.reply(404)

    def do_POST(self):
        url = urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if url.path == "/_script":
            path = parse_qs(url.query)["path"][0]
            with lock:
                scripts[path] = json.loads(body)
            return self.reply(200, b"{}")
        with lock:
            queue = scripts.get(url.path) or []
            response = queue.pop(0) if queue else {"status": default_status}
            arrived.append(url.path)
        delay = response.get("delay_ms", 0)
        if delay:
            time.sleep(delay / 1000)
        status = response.get("status", 200)
        text = body.decode("utf-8", "replace")
        with lock:
            received.append({"path": url.path, "status": status, "headers": dict(self.headers.items()),
                             "body": text, "time": time.time()})
            if status == 202 and url.path.endswith("/v2/enqueue"):
                event = json.loads(text)
                key = event["dedup_key"]
                incident = incidents.get(key)
                if event["event_action"] == "trigger" and (incident is None or incident["state"] == "resolved"):
                    incidents[key] = {"state": "triggered", "opened": (incident or {"opened": 0})["opened"] + 1}
                elif event["event_action"] == "resolve" and incident is not None:
                    incident["state"] = "resolved"
        extra = [("Retry-After", response["retry_after"])] if "retry_after" in response else []
        self.reply(status, response.get("body", '{"status":"success"}').encode(), extra=extra)




def main():
    global default_status
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--default-status", type=int, default=200)
    args = ap.parse_args()
    default_status = args.default_status
    server = Server(("127.0.0.1", args.port), Handler)
    serve(server)


if __name__ == "__main__":
    main()
