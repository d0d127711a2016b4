"""What an operator relies on when the API is reachable by others: authentication on every
endpoint but /-/healthy, bounded requests and queries, and a data directory only Lookout reads."""
import base64
import hashlib
import http.client
import json
import os
import stat
import urllib.parse

from conftest import free_port, run_cli, wait_for

PASSWORD = "correct horse battery staple"


def config(port):
    pw_hash = hashlib.sha256(PASSWORD.encode()).hexdigest()
    return f"""
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  listen: 127.0.0.1:{port}
  api_auth:
    basic_auth: {{username: admin, password_hash: "{pw_hash}"}}
host_metrics: true
checks:
  - {{name: self, http: "http://127.0.0.1:{port}/-/healthy", interval: 1s}}
alerts:
  - {{name: AlwaysFiring, expr: vector(1), severity: warning}}
notify:
  channels:
    journal: {{log: {{}}}}
  default_channels: [journal]
"""


def request(port, method, path, body=None, headers=None, auth=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(headers or {})
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


GOOD = "admin:" + PASSWORD

# Every route the server has, with a method it answers (mutating ones included).
ROUTES = [
    ("GET", "/"), ("GET", "/graph?g0.expr=up"), ("GET", "/checks/self"), ("GET", "/metrics"), ("GET", "/-/ready"),
    ("HEAD", "/-/ready"), ("POST", "/-/reload"), ("PUT", "/-/reload"), ("GET", "/-/reload"),
    ("GET", "/api/v1/query?query=up"), ("POST", "/api/v1/query"), ("GET", "/api/v1/query_range?query=up&start=0&end=1&step=1"),
    ("GET", "/api/v1/series?match[]=up"), ("GET", "/api/v1/labels"), ("GET", "/api/v1/label/job/values"),
    ("GET", "/api/v1/alerts"), ("GET", "/api/v1/rules"), ("GET", "/api/v1/targets"), ("GET", "/api/v1/metadata"),
    ("GET", "/api/v1/status/buildinfo"), ("GET", "/api/v1/query_exemplars"), ("GET", "/api/v2/silences"),
    ("POST", "/api/v2/silences"), ("GET", "/api/v2/silence/x"), ("DELETE", "/api/v2/silence/x"),
    ("GET", "/no/such/page"), ("GET", "//-/healthy"), ("GET", "/-/healthy/"), ("GET", "/-/healthy/../api/v1/alerts"),
    ("GET", "/-/%68ealthy"), ("GET", "/./-/healthy"),
]


def test_every_endpoint_but_healthy_needs_credentials(daemon_factory):
    port = free_port()
    d = daemon_factory(config(port)).start()
    assert request(port, "GET", "/-/healthy")[0] == 200
    assert request(port, "HEAD", "/-/healthy")[0] == 200
    for method, path in ROUTES:
        for auth in [None, "admin:wrong", "root:" + PASSWORD, "admin:" + PASSWORD + "x", "admin", ""]:
            status, body = request(port, method, path, auth=auth)
            assert status == 401, (method, path, auth, status, body)
        # A bearer token is not basic auth, whatever it holds.
        status, _ = request(port, method, path, headers={"Authorization": "Bearer " + PASSWORD})
        assert status == 401, (method, path)
    # With the password, the same routes answer (reload succeeds, silences are parsed).
    assert request(port, "GET", "/api/v1/alerts", auth=GOOD)[0] == 200
    assert request(port, "POST", "/-/reload", auth=GOOD)[0] == 200
    assert request(port, "DELETE", "/api/v2/silence/x", auth=GOOD)[0] in (400, 404)
    assert PASSWORD not in d.log()
    assert d.proc.poll() is None, d.log()[-20000:]  # still serving
    assert d.stop() == 0, d.log()[-5000:]  # and stops cleanly


def test_requests_and_queries_are_bounded(daemon_factory):
    port = free_port()
    d = daemon_factory(config(port)).start()
    wait_for(lambda: '"node_load1"' in request(port, "GET", "/api/v1/query?query=node_load1", auth=GOOD)[1],
             timeout=20, what="host metrics")
    # A range query over a century at a millisecond step is refused before it is evaluated.
    q = urllib.parse.urlencode({"query": "node_load1", "start": "0", "end": str(100 * 365 * 86400), "step": "0.001"})
    status, body = request(port, "GET", "/api/v1/query_range?" + q, auth=GOOD)
    assert status == 400 and "11,000 points" in body, body
    # A subquery that would materialise billions of points is refused too, not evaluated.
    q = urllib.parse.urlencode({"query": "count_over_time(node_load1[100y:1ms])"})
    status, body = request(port, "GET", "/api/v1/query?" + q, auth=GOOD)
    assert status in (422, 400, 503) and json.loads(body)["status"] == "error", body
    # Form bodies above 1 MiB are refused, not buffered.
    big = b"query=" + b"1" * (2 << 20)
    status, body = request(port, "POST", "/api/v1/query", body=big, auth=GOOD,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status in (400, 413), (status, body[:200])
    status, body = request(port, "POST", "/api/v2/silences", body=b"{" * (2 << 20), auth=GOOD,
                           headers={"Content-Type": "application/json"})
    assert status == 413, (status, body[:200])
    # A header far beyond any real one is refused (or the connection closed), and the daemon lives on.
    try:
        status, _ = request(port, "GET", "/api/v1/alerts", auth=GOOD, headers={"X-Big": "a" * (1 << 20)})
        assert status >= 400
    except (ConnectionError, http.client.HTTPException):
        pass
    assert request(port, "GET", "/-/healthy")[0] == 200
    assert request(port, "GET", "/api/v1/alerts", auth=GOOD)[0] == 200
    assert d.proc.poll() is None, d.log()[-20000:]  # still serving
    assert d.stop() == 0, d.log()[-5000:]  # and stops cleanly


def test_data_directory_is_private(daemon_factory, workdir):
    d = daemon_factory(config(free_port()).replace("listen: 127.0.0.1", "listen: 127.0.0.1"))
    d.data_dir = workdir / "state" / "lookout"
    old = os.umask(0o022)  # a typical login shell's umask, not systemd's UMask=0077
    try:
        d.start()
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(d.data_dir).st_mode)
    assert mode == 0o700, oct(mode)
    assert d.proc.poll() is None, d.log()[-20000:]  # still serving
    assert d.stop() == 0, d.log()[-5000:]  # and stops cleanly
    # `lookout silence add` creating the store first makes it just as private.
    other = workdir / "fresh"
    old = os.umask(0o022)
    try:
        out = run_cli("silence", "add", "--match", "alertname=X", "--for", "1h", "--comment", "t", "--data-dir", str(other),
                      "--config", str(d.config))
    finally:
        os.umask(old)
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(os.stat(other).st_mode) == 0o700
