"""The HTTP API of a running daemon: Prometheus-compatible queries checked with the real
`promtool`, Alertmanager-compatible silences, health, reload, /metrics and the status page."""
import base64
import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import free_port, wait_for
from receivers import Receiver


def config(port, app_url, extra=""):
    return f"""
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  listen: 127.0.0.1:{port}
{extra}
checks:
  - name: app-health
    http: {app_url}/health
    interval: 1s
scrape:
  - job: app
    targets: [{app_url.replace('http://', '')}]
    interval: 1s
alerts:
  - name: AppDown
    check_failing: app-health
    severity: critical
notify:
  channels:
    journal: {{log: {{}}}}
  default_channels: [journal]
"""


METRICS = b"""# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{method="get",status="200"} 10
http_requests_total{method="get",status="500"} 2
"""


@pytest.fixture
def app():
    r = Receiver()
    r.routes["/health"] = (200, "text/plain", b"ok")
    r.routes["/metrics"] = (200, "text/plain; version=0.0.4", METRICS)
    yield r
    r.close()


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def post(url, data: bytes, content_type="application/x-www-form-urlencoded"):
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture
def running(daemon_factory, app):
    port = free_port()
    d = daemon_factory(config(port, app.url)).start()
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: '"1"' in get(base + "/api/v1/query?query=up")[1], timeout=20, what="up == 1 via the API")
    yield d, base
    d.stop()


def test_health_ready_and_query_api(running):
    _, base = running
    assert get(base + "/-/healthy")[0] == 200
    assert get(base + "/-/ready")[0] == 200
    status, body = get(base + "/api/v1/query?query=" + urllib.parse.quote('http_requests_total{status="500"}'))
    doc = json.loads(body)
    assert status == 200 and doc["data"]["resultType"] == "vector"
    assert doc["data"]["result"][0]["metric"]["job"] == "app"
    assert doc["data"]["result"][0]["value"][1] == "2"
    status, body = post(base + "/api/v1/query", b"query=sum(up)")
    assert status == 200 and json.loads(body)["data"]["result"][0]["value"][1] == "1"
    status, body = get(base + "/api/v1/query?query=sum(rate(x[5m])")
    doc = json.loads(body)
    assert status == 400 and doc["status"] == "error" and doc["errorType"] == "bad_data"


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed")
def test_promtool_queries_work_against_lookout(running):
    _, base = running
    out = subprocess.run(["promtool", "query", "instant", base, 'http_requests_total{status="200"}'],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert 'http_requests_total{instance=' in out.stdout and "=> 10 @" in out.stdout
    out = subprocess.run(["promtool", "query", "series", base, "--match", "up"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert 'job="app"' in out.stdout
    out = subprocess.run(["promtool", "query", "labels", base, "job"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and "app" in out.stdout.split()
    out = subprocess.run(["promtool", "query", "range", base, "up", "--step", "1s"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "1 @[" in out.stdout


def test_targets_rules_alerts_and_metrics(running, app):
    _, base = running
    targets = json.loads(get(base + "/api/v1/targets")[1])["data"]["activeTargets"]
    assert targets[0]["labels"]["job"] == "app" and targets[0]["health"] == "up"
    rules = json.loads(get(base + "/api/v1/rules")[1])["data"]["groups"]
    assert any(r["name"] == "AppDown" for g in rules for r in g["rules"])
    app.routes["/health"] = (503, "text/plain", b"down")
    wait_for(lambda: "AppDown" in get(base + "/api/v1/alerts")[1], timeout=20, what="AppDown in /api/v1/alerts")
    metrics = get(base + "/metrics")[1]
    for name in ["lookout_notifications_total", "lookout_notification_queue_length", "lookout_rule_evaluation_seconds",
                 "lookout_scrape_duration_seconds", "lookout_storage_bytes", "process_resident_memory_bytes",
                 "lookout_queries_running", "lookout_queries_waiting", "lookout_queries_concurrent_max 4"]:
        assert name in metrics, name
    page = get(base + "/")[1]
    assert "app-health" in page and "<svg" in page


def test_silences_api_and_reload(running):
    d, base = running
    body = json.dumps({"matchers": [{"name": "alertname", "value": "AppDown", "isRegex": False, "isEqual": True}],
                       "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2099-01-01T00:00:00Z",
                       "createdBy": "test", "comment": "via API"}).encode()
    status, resp = post(base + "/api/v2/silences", body, "application/json")
    assert status == 200, resp
    sid = json.loads(resp)["silenceID"]
    listed = json.loads(get(base + "/api/v2/silences")[1])
    assert any(s["id"] == sid and s["status"]["state"] == "active" for s in listed)
    req = urllib.request.Request(base + f"/api/v2/silence/{sid}", method="DELETE")
    assert urllib.request.urlopen(req, timeout=10).status == 200
    assert post(base + "/-/reload", b"")[0] == 200
    wait_for(lambda: "configuration reloaded" in d.log(), what="the reload in the log, as for SIGHUP")
    d.config.write_text(d.config.read_text().replace("interval: 1s\nscrape", "interval: nope\nscrape"))
    status, resp = post(base + "/-/reload", b"")
    assert status >= 400 and "lookout.yml" in resp
    # README: "every error is logged with its file:line:column" — for POST /-/reload too.
    wait_for(lambda: "reload rejected" in d.log() and "lookout.yml:" in d.log(), what="the rejected reload in the log")


def test_api_auth_protects_everything_but_healthy(daemon_factory, app):
    port = free_port()
    d = daemon_factory(config(port, app.url, extra="  api_auth: {bearer_token: s3cret-token}")).start()
    base = f"http://127.0.0.1:{port}"
    assert get(base + "/-/healthy")[0] == 200
    assert get(base + "/api/v1/query?query=up")[0] == 401
    assert get(base + "/api/v1/query?query=up", {"Authorization": "Bearer s3cret-token"})[0] == 200
    assert "s3cret-token" not in d.log()
    d.stop()


def test_basic_auth_takes_the_bcrypt_hash_htpasswd_writes(daemon_factory, app):
    # htpasswd -nbB grafana s3cret, at cost 5 to keep the test fast; `$` needs no escaping.
    bcrypt = "$2y$05$abcdefghijklmnopqrstuuLK7U1u6pVRmL7L1BBM2aS35PSZnDXlK"
    port = free_port()
    d = daemon_factory(config(port, app.url, extra=f"  api_auth: {{basic_auth: {{username: grafana, password_hash: '{bcrypt}'}}}}")).start()
    base = f"http://127.0.0.1:{port}"
    good = "Basic " + base64.b64encode(b"grafana:s3cret").decode()
    bad = "Basic " + base64.b64encode(b"grafana:s3cre7").decode()
    assert get(base + "/api/v1/query?query=up")[0] == 401
    assert get(base + "/api/v1/query?query=up", {"Authorization": bad})[0] == 401
    assert get(base + "/api/v1/query?query=up", {"Authorization": good})[0] == 200
    assert get(base + "/", {"Authorization": good})[0] == 200
    d.stop()
