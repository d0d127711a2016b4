"""The status page of a running daemon, rendered by headless Chromium at phone and desktop
widths: it loads without console errors and shows the checks."""
import shutil
import subprocess

import pytest

from conftest import free_port, wait_for
from receivers import Receiver

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_status_page_renders_in_chromium_without_console_errors(daemon_factory, workdir, width, height):
    app = Receiver()
    app.routes["/health"] = (503, "application/json", b'{"status":"unhealthy"}')
    try:
        port = free_port()
        d = daemon_factory(f"""
global:
  evaluation_interval: 1s
  listen: 127.0.0.1:{port}
checks:
  - name: payments-api
    http: {app.url}/health
    interval: 1s
    expect: {{json: {{status: healthy}}}}
notify:
  channels:
    journal: {{log: {{}}}}
  default_channels: [journal]
""").start()
        url = f"http://127.0.0.1:{port}/"
        import urllib.request
        wait_for(lambda: "503" in urllib.request.urlopen(url, timeout=5).read().decode(), timeout=20,
                 what="the failure reason on the page")
        shot = workdir / f"status-{width}.png"
        profile = workdir / f"profile-{width}"
        out = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={profile}", f"--window-size={width},{height}", f"--screenshot={shot}", url],
            capture_output=True, text=True, timeout=90)
        assert shot.exists() and shot.stat().st_size > 5000, out.stderr[-2000:]
        console = [l for l in out.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
        assert console == [], console
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                              "--dump-dom", url], capture_output=True, text=True, timeout=90).stdout
        assert "payments-api" in dom and "<svg" in dom
        d.stop()
    finally:
        app.close()
