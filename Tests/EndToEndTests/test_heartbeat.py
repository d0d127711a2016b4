"""Dead man's switch: the heartbeat URL is pinged while rules evaluate; its secret never logged."""
from conftest import wait_for
from receivers import Receiver


def test_heartbeat_pings_and_watchdog_alert_fires(daemon_factory):
    hc = Receiver()
    hc.routes["/ping/secret-uuid-1234"] = (200, "text/plain", b"OK")
    hook = Receiver()
    try:
        d = daemon_factory(f"""
global:
  evaluation_interval: 1s
  listen: ""
  heartbeat: {{url: "{hc.url}/ping/secret-uuid-1234", interval: 1s}}
  watchdog_alert: true
notify:
  channels:
    audit: {{webhook: {{url: "{hook.url}/alerts"}}}}
  default_channels: [audit]
  group_wait: 1s
""").start()
        wait_for(lambda: len([r for r in hc.requests if r[1] == "/ping/secret-uuid-1234"]) >= 3, timeout=20,
                 what="three heartbeat pings")
        wait_for(lambda: any(a["labels"]["alertname"] == "Watchdog" for p in hook.json_posts("/alerts") for a in p["alerts"]),
                 timeout=20, what="the always-firing Watchdog alert")
        assert d.stop() == 0
        assert "secret-uuid-1234" not in d.log()
    finally:
        hc.close()
        hook.close()
