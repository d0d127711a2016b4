"""Scheduled reports end to end: a daemon collects a probe check that fails for a while, a cost
counter from a local /metrics and an alert that fires; it is then restarted with a daily report
whose time has already passed today, so it catches up on start and delivers to a recording
webhook, a Slack-shaped receiver and aiosmtpd. Another restart sends nothing again."""
import email
import email.policy
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from conftest import free_port, run_cli, wait_for
from receivers import Receiver


class Mailbox:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted"

    def all(self):
        with self.lock:
            return list(self.messages)


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def app():
    """The monitored app: /health answers as told, /metrics serves a cost counter rising per scrape."""
    r = Receiver()
    r.healthy = True
    r.cost = 0.0

    def health():
        return (200, "text/plain", b"ok") if r.healthy else (503, "text/plain", b"down")

    def metrics():
        r.cost += 0.25
        body = f"# TYPE cloud_cost_dollars_total counter\ncloud_cost_dollars_total {r.cost}\n"
        return 200, "text/plain; version=0.0.4", body.encode()
    r.routes["/health"] = health
    r.routes["/metrics"] = metrics
    yield r
    r.close()


def config(app, hook, mailbox, with_report):
    report = """
reports:
  - name: daily-digest
    at: "00:00"
    channels: [audit, team, mail]
    include: [cost, alerts, uptime]
""" if with_report else ""
    return f"""
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  timezone: UTC
  listen: ""
checks:
  - name: api-health
    http: {app.url}/health
    interval: 1s
    timeout: 1s
scrape:
  - job: billing
    targets: [127.0.0.1:{app.port}]
alerts:
  - name: ApiDown
    check_failing: api-health
    severity: critical
  - name: CloudSpend
    daily_cost: {{counter: cloud_cost_dollars_total}}
    above: 1000
notify:
  channels:
    audit:
      webhook: {{url: "{hook.url}/hook"}}
    team:
      slack: {{webhook_url: "{hook.url}/slack"}}
    mail:
      email: {{smtp: "smtp://127.0.0.1:{mailbox.port}", tls: none, from: lookout@example.com, to: [ops@example.com]}}
    journal:
      log: {{}}
  default_channels: [journal]
  group_wait: 0s
{report}"""


def test_report_catches_up_on_start_and_is_sent_once(daemon_factory, app, hook, mailbox):
    d = daemon_factory(config(app, hook, mailbox, with_report=False)).start()
    wait_for(lambda: app.cost >= 1.0, 15, what="a few scrapes of the cost counter")
    app.healthy = False
    wait_for(lambda: "ApiDown" in d.log(), 15, what="ApiDown firing")
    app.healthy = True
    # Recovered and resolved by the rules, so the report shows the episode as resolved.
    wait_for(lambda: any("alert=ApiDown" in line and "state=resolved" in line for line in d.log().splitlines()),
             20, what="ApiDown resolved")
    assert d.stop() == 0
    assert hook.posts() == [] and mailbox.all() == []

    d.config.write_text(config(app, hook, mailbox, with_report=True))
    d.start()
    wait_for(lambda: hook.posts("/hook") and hook.posts("/slack") and mailbox.all(), 20, what="the report on three channels")

    [report] = hook.json_posts("/hook")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert report["kind"] == "report" and report["report"] == "daily-digest" and report["day"] == today
    assert report["title"] == f"[REPORT] daily-digest — {today}"
    [cost] = report["cost"]["series"]
    assert cost["name"] == "CloudSpend" and cost["today"] >= 0.75
    [check] = report["uptime"]["checks"]
    assert check["name"] == "api-health" and 0 < check["uptime24h"] < 1 and check["failures24h"] >= 1
    assert check["lastFailureReason"]
    fired = {a["alertname"]: a for a in report["alerts"]["alerts"]}
    assert fired["ApiDown"]["status"] == "resolved" and fired["ApiDown"]["firingSeconds"] >= 0
    assert "CloudSpend" not in fired  # its threshold was never crossed

    [slack] = hook.json_posts("/slack")
    assert slack["text"] == f"[REPORT] daily-digest — {today}"
    blocks = slack["attachments"][0]["blocks"]
    assert any("*Uptime*" in b["text"]["text"] and "api-health" in b["text"]["text"] for b in blocks if b.get("text"))

    [mail] = mailbox.all()
    assert mail["Subject"] == f"[REPORT] daily-digest — {today}"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "CloudSpend: today so far" in text and "ApiDown" in text and "api-health: " in text
    assert "<h3>Uptime</h3>" in html

    # Restarted the same day: the report is not sent again. (Stop once the receivers' answers are
    # recorded, so no delivery is in flight: that one would be retried, at least once by design.)
    wait_for(lambda: "(0 pending)" in run_cli("status", "--config", str(d.config), "--data-dir", str(d.data_dir)).stdout,
             10, what="an empty outbox")
    assert d.stop() == 0
    # The scheduler's plan after the restart is tomorrow: no second report is queued today.
    tomorrow = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400))

    def plans():
        return [line for line in d.log().splitlines() if "report scheduled" in line]
    before = len(plans())
    d.start()
    wait_for(lambda: len(plans()) > before, 10, what="the report planned after the restart")
    assert f"next={tomorrow}T00:00:00Z" in plans()[before]
    wait_for(lambda: "(0 pending)" in run_cli("status", "--config", str(d.config), "--data-dir", str(d.data_dir)).stdout,
             10, what="an empty outbox")
    assert len(hook.posts("/hook")) == 1 and len(hook.posts("/slack")) == 1 and len(mailbox.all()) == 1

    # The CLI renders the same report on demand (a preview; it does not count as the day's report).
    out = run_cli("report", "daily-digest", "--config", str(d.config), "--data-dir", str(d.data_dir))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"[PREVIEW] [REPORT] daily-digest — {today}") and "api-health" in out.stdout
