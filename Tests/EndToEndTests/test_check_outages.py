"""Every failed probe keeps its reason: the check's page lists each outage with why it began, and
the reasons survive a restart (they are stored with the check status in SQLite)."""
import re
import urllib.request

from conftest import free_port, run_cli, wait_for
from receivers import Receiver


def page(port, name):
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/checks/{name}", timeout=5).read().decode()


def test_each_outage_keeps_why_it_began_across_a_restart(daemon_factory):
    app = Receiver()
    app.routes["/health"] = (503, "application/json", b'{"status":"down"}')
    try:
        port = free_port()
        d = daemon_factory(f"""
global:
  listen: 127.0.0.1:{port}
checks:
  - name: payments
    http: {app.url}/health
    interval: 200ms
    expect: {{json: {{status: healthy}}}}
""").start()
        wait_for(lambda: "(last 1d: 1)" in page(port, "payments"), timeout=30, what="the first outage")
        app.routes["/health"] = (200, "application/json", b'{"status":"healthy"}')
        wait_for(lambda: "pill up" in page(port, "payments"), timeout=30, what="recovery")
        app.routes["/health"] = (200, "application/json", b'{"status":"degraded"}')
        wait_for(lambda: "(last 1d: 2)" in page(port, "payments"), timeout=30, what="the second outage")
        d.stop()

        d.start()
        text = page(port, "payments")
        outages = text[text.index("Outages"):text.index("History")]
        # Newest first: the body-condition failure is the ongoing one, the 503 one ended.
        assert outages.count("<tr><td") == 2, outages
        assert "degraded" in outages and "503" in outages, outages
        assert outages.index("degraded") < outages.index("503"), outages
        assert "ongoing" in outages, outages
        history = text[text.index("History"):]
        failed_rows = [row for row in history.split("<tr>") if "pill down" in row]
        # Every failed probe shows why, not only the newest.
        assert failed_rows and all('<div class="small">' in row for row in failed_rows), history
        d.stop()
        # `lookout status` says how long the check has been failing, from the outage's first failure.
        out = run_cli("status", "--config", str(d.config), "--data-dir", str(d.data_dir))
        line = next(l for l in out.stdout.splitlines() if l.strip().startswith("payments"))
        assert re.search(r"DOWN .* failing for \d+s: status was \"degraded\"$", line), line
    finally:
        app.close()
