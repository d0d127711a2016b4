"""Secrets never leak: a daemon with every kind of secret configured, at --log-level trace, with
its receivers first unreachable, then failing, then accepting, through a rejected reload; every
place an operator or an API client can read (the log, `lookout check`, `lookout status`,
`lookout notify test`, every page and API answer, the SQLite files) is searched for each secret."""
import base64
import hashlib
import json
import pathlib
import urllib.error
import urllib.request

from conftest import free_port, run_cli, wait_for
from receivers import Receiver

# Each secret is a distinct word so a leak names the secret that leaked.
SECRETS = {
    "SLACK_PATH": "slackpathsecret7f3a",
    "PD_KEY": "pdroutingkeysecret9c1e0000000000",
    "SMTP_PASSWORD": "smtppasswordsecret4b2d",
    "API_PASSWORD": "apipasswordsecret8e5f",
    "RW_TOKEN": "rwbearersecret1a9c",
    "RW_URL_PASSWORD": "rwurlpasswordsecret2b8d",
    "RW_QUERY": "rwquerysecret3c7e",
    "RW_HEADER": "rwheadersecret4d6f",
    "AM_PASSWORD": "ampasswordsecret5e5a",
    "AM_URL_PASSWORD": "amurlpasswordsecret6f4b",
    "HEARTBEAT_PATH": "heartbeatpathsecret7a3c",
    "WEBHOOK_PATH": "webhookpathsecret8b2d",
    "WEBHOOK_TOKEN": "webhooktokensecret9c1e",
    "CHECK_HEADER": "checkheadersecret0d0f",
    "CHECK_URL_PASSWORD": "checkurlpasswordsecret1e9a",
    "CHECK_QUERY": "checkquerysecret2f8b",
}
# Not a secret itself, but what an offline guess of the API password is checked against.
SECRETS["API_PASSWORD_HASH"] = hashlib.sha256(SECRETS["API_PASSWORD"].encode()).hexdigest()


def config(port, hook_url, smtp_port, broken=False):
    """Every secret-bearing key of the reference config, pointing at `hook_url` and `smtp_port`."""
    hook_host = hook_url.removeprefix("http://")
    pw_hash = hashlib.sha256(SECRETS["API_PASSWORD"].encode()).hexdigest()
    return f"""
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  listen: 127.0.0.1:{port}
  heartbeat: {{url: "{hook_url}/ping/${{HEARTBEAT_PATH}}", interval: 1s}}
  api_auth:
    basic_auth: {{username: admin, password_hash: "{pw_hash}"}}
checks:
  - name: app-health
    http: "http://probe:${{CHECK_URL_PASSWORD}}@{hook_host}/health?token=${{CHECK_QUERY}}"
    headers: {{Authorization: "Bearer ${{CHECK_HEADER}}"}}
    interval: 1s
    timeout: 1s
alerts:
  - name: AlwaysFiring
    expr: vector(1){" +" if broken else ""}
    severity: critical
    annotations: {{summary: "always firing"}}
notify:
  channels:
    slack: {{slack: {{webhook_url: "{hook_url}/services/T0/B0/${{SLACK_PATH}}"}}}}
    pager: {{pagerduty: {{routing_key: "${{PD_KEY}}", url: "{hook_url}/v2/enqueue"}}}}
    mail:
      email:
        smtp: smtp://127.0.0.1:{smtp_port}
        tls: none
        username: lookout
        password: "${{SMTP_PASSWORD}}"
        from: lookout@example.com
        to: [ops@example.com]
    audit: {{webhook: {{url: "{hook_url}/hook/${{WEBHOOK_PATH}}", bearer_token: "${{WEBHOOK_TOKEN}}"}}}}
  default_channels: [slack, pager, mail, audit]
  group_wait: 0s
  group_interval: 1s
remote_write:
  - url: "http://rw:${{RW_URL_PASSWORD}}@{hook_host}/api/v1/write?key=${{RW_QUERY}}"
    bearer_token: "${{RW_TOKEN}}"
    headers: {{X-Api-Key: "${{RW_HEADER}}"}}
alertmanagers:
  - url: "http://am:${{AM_URL_PASSWORD}}@{hook_host}/am"
    basic_auth: {{username: am, password: "${{AM_PASSWORD}}"}}
"""


def leaks(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


def leaks_in_bytes(data: bytes) -> list[str]:
    return [name for name, value in SECRETS.items() if value.encode() in data]


def get(url, auth=True):
    headers = {}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(f"admin:{SECRETS['API_PASSWORD']}".encode()).decode()
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def post(url, data=b""):
    auth = "Basic " + base64.b64encode(f"admin:{SECRETS['API_PASSWORD']}".encode()).decode()
    req = urllib.request.Request(url, data=data, method="POST", headers={"Authorization": auth})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


class SMTPSink:
    """A loopback SMTP server requiring AUTH (without TLS: loopback only)."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        class Box:
            messages: list[bytes] = []

            async def handle_DATA(self, server, session, envelope):
                Box.messages.append(envelope.original_content)
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.password.decode() == SECRETS["SMTP_PASSWORD"]
            return AuthResult(success=ok, handled=False)

        self.box = Box()
        self.controller = Controller(self.box, hostname="127.0.0.1", port=free_port(), authenticator=authenticator,
                                     auth_required=True, auth_require_tls=False)
        self.controller.start()
        self.port = self.controller.port

    def close(self):
        self.controller.stop()


def everything_readable(d, base, workdir) -> dict[str, str]:
    """What an operator or API client can read, by where it was read."""
    seen = {}
    for path in ["/", "/checks/app-health", "/graph?g0.expr=up", "/api/v1/targets", "/api/v1/rules",
                 "/api/v1/alerts", "/metrics", "/api/v1/status/buildinfo", "/api/v2/silences",
                 "/api/v1/query?query=ALERTS", "/api/v1/series?match[]=up", "/api/v1/labels"]:
        status, body = get(base + path)
        assert status < 500, (path, status, body)
        seen[path] = body
    env = {name: value for name, value in SECRETS.items()}
    args = ["--config", str(d.config), "--data-dir", str(d.data_dir)]
    for command in [["check", "--config", str(d.config)], ["status", *args]]:
        out = run_cli(*command, env=env)
        seen[" ".join(command[:1])] = out.stdout + out.stderr
    seen["log"] = d.log()
    return seen


def test_no_secret_appears_anywhere(daemon_factory, workdir):
    port = free_port()
    down = f"http://127.0.0.1:{free_port()}"   # nothing listens there
    smtp_down = free_port()
    # --log-level trace: the most the daemon ever logs.
    d = daemon_factory(config(port, down, smtp_down), env=SECRETS, args=("--log-level", "trace")).start()
    base = f"http://127.0.0.1:{port}"

    # 1. Every receiver unreachable: deliveries, heartbeat, remote write, Alertmanager and the
    # check fail with libcurl's errors.
    wait_for(lambda: "heartbeat ping failed" in d.log(), timeout=20, what="the heartbeat failure")
    assert "level=debug" in d.log() or "level=trace" in d.log()
    wait_for(lambda: "slack" in get(base + "/")[1] and "retrying" in get(base + "/")[1], timeout=20,
             what="a retrying delivery on the status page")
    notify_out = ""
    for channel in ["slack", "pager", "mail", "audit"]:
        out = run_cli("notify", "test", channel, "--config", str(d.config), "--log-level", "trace", env=SECRETS)
        assert out.returncode == 2, (channel, out.stdout, out.stderr)
        notify_out += out.stdout + out.stderr
    seen = everything_readable(d, base, workdir)
    seen["notify test (down)"] = notify_out

    # 2. A reload with an error keeps the running config and says why, without a secret.
    good = d.config.read_text()
    d.config.write_text(config(port, down, smtp_down, broken=True))
    status, body = post(base + "/-/reload")
    assert status == 500
    seen["reload (broken)"] = body
    d.config.write_text(good)

    # 3. Receivers up but failing (HTTP 500 / SMTP refusing the message), then accepting.
    hook = Receiver()
    hook.status = 500
    hook.body = b"internal error"
    hook.routes["/health"] = (200, "text/plain", b"ok")
    smtp = SMTPSink()
    try:
        d.config.write_text(config(port, hook.url, smtp.port))
        assert post(base + "/-/reload")[0] == 200
        wait_for(lambda: len(hook.posts()) >= 4, timeout=20, what="deliveries reaching the failing receiver")
        hook.status = 200
        hook.body = b"ok"
        paths = lambda: {r[1] for r in hook.requests}
        wait_for(lambda: any(p.startswith("/services/") for p in paths()) and "/v2/enqueue" in paths()
                 and any(p.startswith("/hook/") for p in paths()) and smtp.box.messages,
                 timeout=30, what="every channel delivering")
        for channel in ["slack", "pager", "mail", "audit"]:
            out = run_cli("notify", "test", channel, "--config", str(d.config), "--log-level", "trace", env=SECRETS)
            assert out.returncode == 0, (channel, out.stdout, out.stderr)
            notify_out += out.stdout + out.stderr
        for where, text in everything_readable(d, base, workdir).items():
            seen[where + " (up)"] = text
        seen["notify test (up)"] = notify_out
        # The secrets did reach the wire, where they belong.
        headers = " ".join(json.dumps(r[2]) for r in hook.requests)
        assert SECRETS["WEBHOOK_TOKEN"] in headers and SECRETS["RW_TOKEN"] in headers
        assert SECRETS["CHECK_HEADER"] in headers
        # Notification bodies carry no secret (the PagerDuty key belongs in its own payload only).
        for r in hook.posts():
            body = r[3].decode(errors="replace")
            if r[1] == "/v2/enqueue":
                body = body.replace(SECRETS["PD_KEY"], "")
            assert not leaks(body), (r[1], leaks(body))
    finally:
        assert d.stop() == 0
        hook.close()
        smtp.close()

    for where, text in seen.items():
        assert not leaks(text), f"{leaks(text)} in {where}: " + text[:4000]
    for file in sorted(pathlib.Path(d.data_dir).iterdir()):
        assert not leaks_in_bytes(file.read_bytes()), f"{leaks_in_bytes(file.read_bytes())} in {file.name}"
