"""A bounded request flood on the API does not stall scraping or rule evaluation."""
import json
import threading
import time
import urllib.parse
import urllib.request

from conftest import free_port, wait_for
from receivers import Receiver


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except Exception as e:  # a refused or timed-out request counts as a failure, not a crash
        return 0, str(e)


def test_flood_does_not_stall_scrapes_or_rules(daemon_factory):
    app = Receiver()
    app.routes["/metrics"] = (200, "text/plain", b"".join(b'load{i="%d"} %d\n' % (i, i) for i in range(300)))
    port = free_port()
    try:
        d = daemon_factory(f"""
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  listen: 127.0.0.1:{port}
scrape:
  - job: app
    targets: [{app.url.replace('http://', '')}]
alerts:
  - {{name: Loaded, expr: "sum(load) > 0", severity: info}}
notify:
  channels:
    journal: {{log: {{}}}}
  default_channels: [journal]
""").start()
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: '"1"' in get(base + "/api/v1/query?query=up")[1], timeout=20, what="first scrape")
        heavy = base + "/api/v1/query_range?" + urllib.parse.urlencode(
            {"query": "sum by (i) (rate(load[1m]))", "start": time.time() - 600, "end": time.time(), "step": "1"})
        stop = time.monotonic() + 6
        sent = [0]
        lock = threading.Lock()

        def hammer():
            while time.monotonic() < stop:
                with lock:
                    if sent[0] >= 3000:
                        return
                    sent[0] += 1
                get(heavy)

        threads = [threading.Thread(target=hammer) for _ in range(16)]
        flood_start = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        flood_end = time.time()
        # A flood throughout the window: every thread finished a heavy query and sent another.
        assert sent[0] >= 2 * len(threads), sent[0]
        # Scrapes (1 s) and rule rounds (1 s) kept their cadence, give or take a shared 2-core
        # machine: at least half of the rounds the window holds must have happened.
        window = int(flood_end - flood_start)
        q = urllib.parse.urlencode({"query": f"count_over_time(up[{window}s])", "time": flood_end})
        scrapes = float(json.loads(get(base + "/api/v1/query?" + q)[1])["data"]["result"][0]["value"][1])
        assert scrapes >= window * 0.5, f"only {scrapes} scrapes in {window}s of flood"
        q = urllib.parse.urlencode({"query": f"count_over_time(ALERTS[{window}s])", "time": flood_end})
        evals = float(json.loads(get(base + "/api/v1/query?" + q)[1])["data"]["result"][0]["value"][1])
        assert evals >= window * 0.5, f"only {evals} rule rounds in {window}s of flood"
        assert d.stop() == 0
    finally:
        app.close()
