"""A real local app through healthy → failing → healthy, with the daemon restarted in the middle
of a `for` period and while firing. Notifications go to a recording webhook receiver."""
import time

import pytest

from conftest import iso, wait_for
from receivers import Receiver


@pytest.fixture
def app():
    r = Receiver()
    r.healthy = True

    def health():
        if r.healthy:
            return 200, "application/json", b'{"status":"healthy"}'
        return 503, "application/json", b'{"status":"unhealthy","checks":{"database":"timeout"}}'
    r.routes["/health"] = health
    yield r
    r.close()


def config(app, hook):
    return f"""
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  listen: ""
checks:
  - name: api-health
    http: {app.url}/health
    interval: 1s
    timeout: 1s
    expect:
      json: {{status: healthy}}
alerts:
  - name: ApiDown
    check_failing: api-health
    for: 5s
    severity: critical
notify:
  channels:
    audit:
      webhook: {{url: "{hook.url}/alerts"}}
  default_channels: [audit]
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  send_resolved: true
"""


def statuses(hook):
    return [p["status"] for p in hook.json_posts("/alerts")]


def test_for_clock_survives_restart_and_firing_does_not_renotify(daemon_factory, app, hook):
    d = daemon_factory(config(app, hook)).start()
    time.sleep(2)  # a healthy period: nothing must be sent (asserted below)
    assert statuses(hook) == []

    failed_at = time.time()
    app.healthy = False
    # Restart in the middle of the 5 s `for` period.
    time.sleep(2.5)
    assert d.stop() == 0
    assert statuses(hook) == []
    restarted_at = time.time()
    d.start()

    wait_for(lambda: "firing" in statuses(hook), timeout=20, what="firing notification")
    fired_at = time.time()
    alert = hook.json_posts("/alerts")[0]["alerts"][0]
    assert alert["labels"]["alertname"] == "ApiDown" and alert["labels"]["check"] == "api-health"
    # startsAt is when the alert fired (as Prometheus sends FiredAt). Had the restart reset the
    # 5 s pending clock, it could not fire sooner than 5 s after the restart.
    assert iso(alert["startsAt"]) < restarted_at + 4.5
    assert iso(alert["startsAt"]) >= failed_at + 4.5
    assert fired_at - failed_at < 5 + 6, "fired far later than for + probe + group_wait"

    # Restart while firing: no second firing notification.
    assert d.stop() == 0
    d.start()
    time.sleep(3)
    assert statuses(hook) == ["firing"]

    app.healthy = True
    wait_for(lambda: "resolved" in statuses(hook), timeout=20, what="resolved notification")
    assert statuses(hook) == ["firing", "resolved"]
    assert d.stop() == 0


def test_alert_that_cleared_while_down_resolves_after_restart(daemon_factory, app, hook):
    app.healthy = False
    d = daemon_factory(config(app, hook)).start()
    wait_for(lambda: "firing" in statuses(hook), timeout=20, what="firing notification")
    assert d.stop() == 0
    app.healthy = True
    d.start()
    wait_for(lambda: "resolved" in statuses(hook), timeout=20, what="resolved after restart")
    resolved = [p for p in hook.json_posts("/alerts") if p["status"] == "resolved"][0]
    assert resolved["alerts"][0]["labels"]["alertname"] == "ApiDown"
    assert statuses(hook) == ["firing", "resolved"]
    assert d.stop() == 0
