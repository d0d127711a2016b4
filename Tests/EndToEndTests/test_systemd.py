"""The shipped systemd unit: hardened to an exposure of 1.5 or lower, and notify-type."""
import shutil
import subprocess

import pytest

from conftest import REPO

UNIT = REPO / "systemd" / "lookout.service"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_unit_exposure_is_at_most_1_5():
    # --threshold is in tenths: 15 means an overall exposure of 1.5.
    out = subprocess.run(["systemd-analyze", "security", "--offline=true", "--threshold=15", str(UNIT)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    assert "Overall exposure level for lookout.service: 1." in out.stdout


def test_unit_declares_notify_watchdog_reload_and_state():
    text = UNIT.read_text()
    for line in ["Type=notify", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID", "DynamicUser=yes",
                 "StateDirectory=lookout", "ConfigurationDirectory=lookout", "EnvironmentFile=-/etc/lookout/lookout.env",
                 "ProtectSystem=strict"]:
        assert line in text, line


def proc_mount_options(unit_text: str) -> str:
    """The procfs mount options systemd derives from the unit's ProtectProc= and ProcSubset=."""
    options = []
    settings = dict(line.split("=", 1) for line in unit_text.splitlines() if "=" in line and not line.startswith("#"))
    if settings.get("ProtectProc") in ("invisible", "noaccess", "ptraceable"):
        options.append("hidepid=" + settings["ProtectProc"])
    if settings.get("ProcSubset") == "pid":
        options.append("subset=pid")
    return ",".join(options) or "defaults"


def test_host_metrics_work_under_the_units_proc(workdir):
    """host_metrics (on in the embedded default config) reads /proc/meminfo, stat, loadavg and
    mounts: the unit's /proc must show them. Runs the daemon in a user, PID and mount namespace
    whose /proc is mounted with the options the unit gives systemd."""
    import json
    import urllib.request
    from conftest import free_port, lookout_bin, wait_for
    options = proc_mount_options(UNIT.read_text())
    if shutil.which("unshare") is None or subprocess.run(
            ["unshare", "-rpfm", "sh", "-c", f"mount -t proc -o {options} proc /proc"], capture_output=True).returncode:
        pytest.skip("cannot mount procfs in a user namespace here")
    port = free_port()
    config = workdir / "lookout.yml"
    config.write_text(f"global: {{listen: '127.0.0.1:{port}', scrape_interval: 1s}}\nhost_metrics: true\n")
    script = f'mount -t proc -o {options} proc /proc && exec "$0" run --config "$1" --data-dir "$2"'
    proc = subprocess.Popen(["unshare", "-rpfm", "--kill-child", "sh", "-c", script, lookout_bin(), str(config), str(workdir / "data")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def names():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/label/__name__/values", timeout=5) as r:
                    return set(json.load(r)["data"])
            except OSError:
                return set()
        wanted = {"node_memory_MemTotal_bytes", "node_cpu_seconds_total", "node_load1", "node_filesystem_size_bytes"}
        wait_for(lambda: wanted <= names(), timeout=20, what=f"host metrics with /proc mounted {options}")
    finally:
        # unshare --fork ignores SIGTERM; killing it kills the namespace's init (--kill-child) and so all of it.
        proc.kill()
        proc.wait(10)
