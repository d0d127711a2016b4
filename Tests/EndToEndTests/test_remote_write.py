"""Remote write to a real Prometheus 2.42 (`--web.enable-remote-write-receiver`): the series and
values Lookout stores arrive unchanged, and an outage of the receiver loses nothing."""
import json
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import pytest

from conftest import REPO, free_port, metric, run_cli, wait_for
from receivers import Receiver


class Target:
    """A scrape target whose counter goes up by one per scrape, so every sample is distinct."""

    def __init__(self):
        self.scrapes = 0
        self.lock = threading.Lock()
        self.receiver = Receiver()
        self.receiver.routes["/metrics"] = self.metrics

    def metrics(self):
        with self.lock:
            self.scrapes += 1
            n = self.scrapes
        body = "".join(f'demo_requests_total{{path="/p{i}"}} {n * (i + 1)}\n' for i in range(5))
        body += f"demo_temperature_celsius {20 + n % 7}.25\n"
        return 200, "text/plain; version=0.0.4", body.encode()

    def close(self):
        self.receiver.close()


class Prometheus:
    def __init__(self, workdir):
        self.port = free_port()
        self.storage = workdir / "prometheus-data"
        self.config = workdir / "prometheus.yml"
        self.config.write_text("global: {scrape_interval: 1m}\nscrape_configs: []\n")
        self.log = open(workdir / "prometheus.log", "ab")
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(
            ["prometheus", "--web.enable-remote-write-receiver", f"--storage.tsdb.path={self.storage}",
             f"--web.listen-address=127.0.0.1:{self.port}", f"--config.file={self.config}"],
            stdout=self.log, stderr=self.log)
        wait_for(self.ready, timeout=20, interval=0.1, what="Prometheus ready")

    def ready(self):
        try:
            with urllib.request.urlopen(f"{self.url}/-/ready", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(20)

    def query(self, expr, at):
        """An instant query through promtool, as an operator would run it."""
        out = subprocess.run(["promtool", "query", "instant", "-o", "json", "--time", f"{at:.3f}", self.url, expr],
                             capture_output=True, text=True, timeout=20)
        assert out.returncode == 0, out.stderr
        return normalise(json.loads(out.stdout))


def normalise(vector):
    return sorted((tuple(sorted(s["metric"].items())), s["value"][1]) for s in vector)


def lookout_query(port, expr, at):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": f"{at:.3f}"})
    with urllib.request.urlopen(url, timeout=5) as r:
        body = json.load(r)
    assert body["status"] == "success", body
    return normalise(body["data"]["result"])


@pytest.fixture
def target():
    t = Target()
    yield t
    t.close()


@pytest.fixture
def prometheus(workdir):
    p = Prometheus(workdir)
    p.start()
    yield p
    p.stop()
    p.log.close()


def test_samples_arrive_unchanged_and_survive_an_outage(daemon_factory, target, prometheus, workdir):
    port = free_port()
    (workdir / "rules.yml").write_text("""
groups:
  - name: demo
    interval: 1s
    rules:
      - record: job:demo_requests:sum
        expr: sum by (job) (demo_requests_total)
""")
    write_url = f"{prometheus.url}/api/v1/write"
    d = daemon_factory(f"""
global:
  scrape_interval: 1s
  evaluation_interval: 1s
  listen: 127.0.0.1:{port}
host_metrics: false
rule_files: [rules.yml]
scrape:
  - job: demo
    targets: ["{target.receiver.url.replace('http://', '')}"]
    interval: 1s
remote_write:
  - url: {write_url}
    write_relabel_configs:
      - {{source_labels: [__name__], regex: "scrape_.*", action: drop}}
    queue: {{max_samples_per_send: 50, shards: 2}}
""").start()
    selector = '{job="demo", __name__!~".*:.*"}'

    # Same series and values, at a moment both have fully seen.
    def caught_up():
        at = time.time() - 2
        local = [s for s in lookout_query(port, selector, at) if not dict(s[0])["__name__"].startswith("scrape_")]
        return local if len(local) == 7 and prometheus.query(selector, at) == local else None
    local = wait_for(caught_up, timeout=20, interval=0.5, what="Prometheus to hold what Lookout stores")
    names = {dict(labels)["__name__"] for labels, _ in local}
    assert names == {"demo_requests_total", "demo_temperature_celsius", "up"}
    assert prometheus.query('count({__name__=~"scrape_.*"})', time.time()) == [], "write_relabel drop"
    # Recording-rule results are shipped too, as Prometheus does.
    def recorded():
        at = time.time() - 3
        local = lookout_query(port, "job:demo_requests:sum", at)
        return local if local and prometheus.query("job:demo_requests:sum", at) == local else None
    wait_for(recorded, timeout=10, interval=0.5, what="recording-rule results at the receiver")

    # Outage: the receiver is gone for a while; Lookout keeps scraping into its backlog.
    prometheus.stop()
    down_at = time.time()
    wait_for(lambda: (metric(port, "lookout_remote_write_backlog_oldest_seconds", f'{{url="{write_url}"}}') or 0) >= 12,
             timeout=25, interval=0.5, what="a backlog 12 s old")
    pending = metric(port, "lookout_remote_write_samples_pending", f'{{url="{write_url}"}}')
    assert pending and pending >= 12 * 6, pending
    prometheus.start()
    up_at = time.time()

    # No gap: every sample of the outage window arrived, count for count.
    window = int(up_at - down_at) + 6
    at = up_at + 2
    expr = f'count_over_time(demo_requests_total[{window}s])'
    wait_for(lambda: time.time() > at + 1, timeout=5, interval=0.1, what="the window to close")
    def complete():
        remote = prometheus.query(expr, at)
        return remote if remote == lookout_query(port, expr, at) else None
    counts = wait_for(complete, timeout=20, interval=0.5, what="the outage backlog to arrive")
    assert len(counts) == 5 and all(float(v) >= window - 2 for _, v in counts), counts
    assert prometheus.query("demo_requests_total", at) == lookout_query(port, "demo_requests_total", at)
    wait_for(lambda: metric(port, "lookout_remote_write_samples_pending", f'{{url="{write_url}"}}') is not None
             and metric(port, "lookout_remote_write_samples_pending", f'{{url="{write_url}"}}') < 50,
             timeout=10, interval=0.5, what="the backlog to drain")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        metrics = r.read().decode()
    assert f'lookout_remote_write_samples_total{{result="failed",url="{write_url}"}} 0' in metrics
    assert f'lookout_remote_write_samples_total{{result="dropped",url="{write_url}"}} 0' in metrics
    assert f'lookout_remote_write_shards{{url="{write_url}"}} 2' in metrics
    assert "remote write failing; retrying with backoff" in d.log()
    assert d.stop() == 0


def test_readme_example_is_valid(workdir):
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("### Remote write"):]
    block = section[section.index("```yaml\n") + 8:section.index("```\n", section.index("```yaml"))]
    assert block.startswith("remote_write:")
    config = workdir / "example.yml"
    config.write_text(block)
    out = run_cli("check", "--config", str(config), env={"MIMIR_TOKEN": "t0ken"})
    assert out.returncode == 0, out.stdout + out.stderr
    assert "https://mimir.example.com/api/v1/push" in out.stdout and "t0ken" not in out.stdout + out.stderr


def test_kill_9_keeps_the_backlog_and_it_drains_after_restart(daemon_factory, target, workdir):
    port = free_port()
    receiver = Prometheus(workdir)   # not started yet: the receiver is down at first
    write_url = f"{receiver.url}/api/v1/write"
    d = daemon_factory(f"""
global:
  scrape_interval: 1s
  listen: 127.0.0.1:{port}
host_metrics: false
scrape:
  - job: demo
    targets: ["{target.receiver.url.replace('http://', '')}"]
    interval: 1s
remote_write:
  - url: {write_url}
""").start()
    started = time.time()
    wait_for(lambda: (metric(port, "lookout_remote_write_backlog_oldest_seconds", f'{{url="{write_url}"}}') or 0) >= 4,
             timeout=15, interval=0.2, what="a backlog 4 s old")
    d.kill9()
    killed = time.time()
    db = d.data_dir / "remote-write.db"
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM remote_write_batches").fetchone()[0] >= 3
    finally:
        con.close()
    receiver.start()
    try:
        d.start()
        # Everything that was in the backlog arrives, count for count: all but the last second
        # before the kill, which was still in memory (the local store has it).
        at = killed - 2
        window = int(at - started) + 3
        expr = f"count_over_time(demo_requests_total[{window}s])"
        def arrived():
            remote = receiver.query(expr, at)
            return remote if len(remote) == 5 and remote == lookout_query(port, expr, at) else None
        wait_for(arrived, timeout=20, interval=0.5, what="the backlog from before the kill")
    finally:
        receiver.stop()
        receiver.log.close()
