"""Problems found walking through the README as an operator: a failing check's reason reaches the
notification, store commands without `--config`, exit codes of invalid arguments."""
import pytest

from conftest import run_cli, wait_for
from receivers import Receiver


@pytest.fixture
def app():
    r = Receiver()
    r.routes["/health"] = (200, "application/json", b'{"status":"ok","checks":{"database":"unhealthy: timeout"}}')
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
      json: {{status: ok, checks.database: healthy}}
sql:
  - name: app_cost
    database: /nonexistent/app.db
    interval: 1s
    query: "SELECT 1 AS value"
alerts:
  - name: ApiDown
    check_failing: api-health
    severity: critical
  - name: Precise
    expr: vector(0.123456789012) > 0
notify:
  channels:
    audit:
      webhook: {{url: "{hook.url}/alerts"}}
  default_channels: [audit]
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
"""


def test_notification_of_a_failing_check_says_why(daemon_factory, app, hook):
    d = daemon_factory(config(app, hook)).start()
    payload = wait_for(lambda: next((p for p in hook.json_posts("/alerts")
                                     if p["commonLabels"].get("alertname") == "ApiDown"), None),
                       timeout=20, what="ApiDown notification")
    annotations = payload["alerts"][0]["annotations"]
    assert annotations["description"] == 'failing: checks.database was "unhealthy: timeout"', annotations
    assert d.stop() == 0


def test_status_with_only_data_dir_lists_the_stored_checks(daemon_factory, app, hook):
    d = daemon_factory(config(app, hook)).start()
    args = ["--config", str(d.config), "--data-dir", str(d.data_dir)]
    wait_for(lambda: ": checks.database" in run_cli("status", *args).stdout, timeout=20, what="check down")
    wait_for(lambda: "Precise" in run_cli("status", *args).stdout, timeout=20, what="alert")
    out = run_cli("status", "--data-dir", str(d.data_dir))
    assert out.returncode == 0, out.stderr
    assert "api-health" in out.stdout and "lookout-self" not in out.stdout, out.stdout
    assert "CHECKS (1)" in out.stdout
    assert any(l.split()[:2] == ["app_cost", "DOWN"] for l in out.stdout.splitlines()), out.stdout
    # A long value is shortened so the columns stay aligned.
    assert "value 0.123457 " in out.stdout and "0.123456789012" not in out.stdout, out.stdout
    # A silenced alert says so.
    sid = run_cli("silence", "add", "--match", "alertname=Precise", "--for", "1h", "--comment", "x", *args).stdout.strip()
    lines = run_cli("status", *args).stdout.splitlines()
    assert any("Precise" in l and l.endswith(f"silenced by {sid}") for l in lines), lines
    assert not any("ApiDown" in l and "silenced" in l for l in lines), lines
    assert d.stop() == 0


def test_silence_list_and_expire_do_not_create_a_database(workdir):
    missing = workdir / "typo"
    listed = run_cli("silence", "list", "--data-dir", str(missing))
    assert listed.returncode == 2 and "no database" in listed.stderr
    expired = run_cli("silence", "expire", "0000", "--data-dir", str(missing))
    assert expired.returncode == 2 and "no database" in expired.stderr
    assert not missing.exists()
    added = run_cli("silence", "add", "--match", "a=b", "--for", "1h", "--comment", "x", "--data-dir", str(missing))
    assert added.returncode == 0 and "creating it" in added.stderr
    assert (missing / "lookout.db").exists()


def test_invalid_arguments_exit_1(workdir):
    assert run_cli("bogus").returncode == 1
    bad_for = run_cli("silence", "add", "--match", "a=b", "--for", "soon", "--comment", "x", "--data-dir", str(workdir))
    assert bad_for.returncode == 1 and "invalid duration" in bad_for.stderr
    assert "See 'lookout silence add --help'" in bad_for.stderr, bad_for.stderr
    assert run_cli("query", "--data-dir", str(workdir)).returncode == 1
    assert run_cli("version").returncode == 0
    helped = run_cli("status", "--help")
    assert helped.returncode == 0 and "USAGE" in helped.stdout
    cfg = workdir / "n.yml"
    cfg.write_text("""
notify:
  channels:
    journal: {log: {}}
  default_channels: [journal]
""")
    unknown = run_cli("notify", "test", "nope", "--config", str(cfg))
    assert unknown.returncode == 1 and 'unknown channel "nope" (configured: journal)' in unknown.stderr


def test_status_page_lists_recent_notifications(daemon_factory, hook):
    import urllib.request
    from conftest import free_port
    port = free_port()
    refusing = Receiver()
    refusing.status, refusing.body = 400, b"invalid_token"
    try:
        d = daemon_factory(f"""
global:
  evaluation_interval: 1s
  listen: 127.0.0.1:{port}
alerts:
  - name: AlwaysOn
    expr: vector(1) > 0
    severity: warning
notify:
  channels:
    audit: {{webhook: {{url: "{hook.url}/alerts"}}}}
    broken: {{webhook: {{url: "{refusing.url}/alerts"}}}}
  default_channels: [audit, broken]
  group_wait: 1s
""").start()
        wait_for(lambda: hook.json_posts("/alerts") and refusing.posts("/alerts"), timeout=20, what="both deliveries")

        def page():
            html = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
            return html if "invalid_token" in html else None
        html = wait_for(page, timeout=10, what="the failed delivery on the status page")
        assert "No notifications sent yet" not in html
        assert "[FIRING:1] AlwaysOn" in html and "audit" in html and "broken" in html
        assert d.stop() == 0
    finally:
        refusing.close()


def test_query_does_not_ignore_a_lone_end_or_time_with_a_range(workdir):
    lone_end = run_cli("query", "up", "--end", "now", "--data-dir", str(workdir))
    assert lone_end.returncode == 1 and "needs --start and --step" in lone_end.stderr, lone_end.stderr
    both = run_cli("query", "up", "--time", "now", "--start", "now", "--step", "1s", "--data-dir", str(workdir))
    assert both.returncode == 1 and "--time is for an instant query" in both.stderr, both.stderr


def test_check_suggests_the_function_meant(workdir):
    cfg = workdir / "f.yml"
    cfg.write_text("""alerts:
  - name: Busy
    expr: sum(rat(http_requests_total[5m])) > 1
  - name: Slow
    expr: histogram_quantil(0.9, rate(x_bucket[5m])) > 1
  - name: Odd
    expr: frobnicate(up) > 1
""")
    out = run_cli("check", "--config", str(cfg))
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert f'{cfg}:3:15: alerts[0].expr: parse error: unknown function with name "rat" (did you mean "rate"?)' in lines, lines
    assert any(':5:11:' in l and '(did you mean "histogram_quantile"?)' in l for l in lines), lines
    assert any(':7:11:' in l and l.endswith('unknown function with name "frobnicate"') for l in lines), lines
