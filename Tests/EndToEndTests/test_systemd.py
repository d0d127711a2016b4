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
