"""Daemon lifecycle: sd_notify over a real socket, SIGTERM, SIGHUP good and bad, watchdog."""
import signal
import time

from conftest import run_cli, wait_for

BASE = """
global:
  scrape_interval: 1s
  evaluation_interval: 1s
  listen: ""
host_metrics: true
notify:
  channels:
    journal:
      log: {}
  default_channels: [journal]
"""


def test_ready_then_clean_shutdown_on_sigterm(daemon_factory):
    d = daemon_factory(BASE).start()
    ready = d.notify.messages[d.notify.wait_for("READY=1")]
    assert "STATUS=" in ready
    started = time.monotonic()
    assert d.stop(timeout=10) == 0
    assert time.monotonic() - started < 10
    d.notify.wait_for("STOPPING=1")
    assert (d.data_dir / "lookout.db").exists()


def test_sigint_also_stops_cleanly(daemon_factory):
    d = daemon_factory(BASE).start()
    d.signal(signal.SIGINT)
    assert d.proc.wait(10) == 0


def test_watchdog_pings_at_half_the_interval(daemon_factory):
    d = daemon_factory(BASE, watchdog_usec=400_000).start()
    first = d.notify.wait_for("WATCHDOG=1")
    d.notify.wait_for("WATCHDOG=1", after=first + 1, timeout=3)
    d.notify.wait_for("WATCHDOG=1", after=first + 2, timeout=3)
    assert d.stop() == 0


def test_sighup_with_good_config_reloads(daemon_factory):
    d = daemon_factory(BASE).start()
    after_ready = len(d.notify.drain())
    d.config.write_text(BASE.replace("scrape_interval: 1s", "scrape_interval: 2s"))
    d.signal(signal.SIGHUP)
    i = d.notify.wait_for("RELOADING=1", after=after_ready)
    d.notify.wait_for("READY=1", after=i + 1)
    wait_for(lambda: "configuration reloaded" in d.log(), what="reload log line")
    assert d.proc.poll() is None
    assert d.stop() == 0


def test_reload_warns_that_retention_needs_a_restart(daemon_factory):
    """The store's retention is fixed when it opens: a reload must say so, not log success alone."""
    d = daemon_factory(BASE).start()
    d.config.write_text(BASE.replace("  listen: \"\"", "  listen: \"\"\n  retention: 2d"))
    d.signal(signal.SIGHUP)
    wait_for(lambda: "configuration reloaded" in d.log(), what="reload log line")
    assert "global.retention changed" in d.log()
    assert d.stop() == 0


def test_sighup_with_bad_config_keeps_running_old_config(daemon_factory):
    d = daemon_factory(BASE).start()
    after_ready = len(d.notify.drain())
    d.config.write_text(BASE.replace("scrape_interval: 1s", "scrape_interval: soon"))
    d.signal(signal.SIGHUP)
    i = d.notify.wait_for("RELOADING=1", after=after_ready)
    j = d.notify.wait_for("READY=1", after=i + 1)
    assert "reload failed" in d.notify.messages[j]
    log = wait_for(lambda: (lambda text: text if "reload rejected" in text else None)(d.log()), what="rejection log")
    assert "lookout.yml:3:20" in log  # file:line:column of the bad duration
    assert d.proc.poll() is None
    assert d.stop() == 0


def test_refuses_to_start_on_invalid_config(workdir):
    cfg = workdir / "bad.yml"
    cfg.write_text("global:\n  scrape_interval: 5x\nbogus: 1\n")
    out = run_cli("run", "--config", str(cfg), "--data-dir", str(workdir / "data"))
    assert out.returncode == 1
    assert f"{cfg}:2:20" in out.stderr
    assert f"{cfg}:3:1" in out.stderr


def test_unwritable_data_dir_is_a_runtime_error(workdir):
    cfg = workdir / "ok.yml"
    cfg.write_text(BASE)
    blocker = workdir / "file"
    blocker.write_text("not a directory")
    out = run_cli("run", "--config", str(cfg), "--data-dir", str(blocker / "data"))
    assert out.returncode == 2
    assert "data" in out.stderr
