"""SIGTERM during work and kill -9 of the whole daemon: the database stays consistent and keeps
everything it acknowledged."""
import signal
import sqlite3
import time

import pytest

from conftest import run_cli, wait_for
from receivers import Receiver

METRICS = "\n".join(f'work_items_total{{shard="{i}"}} {i * 10}' for i in range(200)).encode() + b"\n"


@pytest.fixture
def app():
    r = Receiver()
    r.routes["/metrics"] = (200, "text/plain; version=0.0.4", METRICS)
    r.routes["/health"] = (200, "text/plain", b"ok")
    yield r
    r.close()


def busy_config(app):
    targets = ", ".join([app.url.replace("http://", "")] * 1)
    return f"""
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  listen: ""
host_metrics: true
checks:
  - {{name: h1, http: "{app.url}/health", interval: 1s}}
  - {{name: h2, http: "{app.url}/health", interval: 1s}}
scrape:
  - job: work
    targets: [{targets}]
    interval: 1s
alerts:
  - {{name: Busy, expr: "sum(work_items_total) > 0", severity: info}}
notify:
  channels:
    journal: {{log: {{}}}}
  default_channels: [journal]
"""


def integrity(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def count_series(d):
    out = run_cli("query", "count(work_items_total)", "--data-dir", str(d.data_dir), "--config", str(d.config))
    return out.stdout


def test_sigterm_while_scraping_exits_cleanly_and_keeps_data(daemon_factory, app):
    d = daemon_factory(busy_config(app)).start()
    wait_for(lambda: "200" in count_series(d), timeout=20, what="200 series stored")
    d.signal(signal.SIGTERM)
    assert d.proc.wait(10) == 0
    assert integrity(d.data_dir / "lookout.db") == "ok"
    assert "200" in count_series(d)


def test_kill_9_leaves_a_consistent_database_that_reopens(daemon_factory, app):
    d = daemon_factory(busy_config(app)).start()
    for _ in range(3):
        wait_for(lambda: "200" in count_series(d), timeout=20, what="200 series stored")
        time.sleep(0.7)  # let a few more scrape rounds land mid-flight
        d.kill9()
        assert integrity(d.data_dir / "lookout.db") == "ok"
        d.start()
    out = run_cli("query", "sum(work_items_total)", "--data-dir", str(d.data_dir), "--config", str(d.config))
    assert str(sum(i * 10 for i in range(200))) in out.stdout
    assert d.stop() == 0
