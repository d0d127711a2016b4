"""Health checks as an operator sees them: a real daemon probing a real loopback server, read back
through `lookout status` and the daemon's log."""
import re
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import free_port, metric, run_cli, wait_for

DOC = {"status": "healthy", "gone": None, "str3": "3", "items": [{"n": 2.5}]}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/huge":
            body = b"x" * (3 << 20)  # past the 1 MiB a probe reads
            ctype = "text/plain"
        else:
            body = json.dumps(DOC).encode()
            ctype = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the probe stops reading at its limit


@pytest.fixture
def app():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def config(port, app):
    return f"""
global: {{listen: "127.0.0.1:{port}"}}
checks:
  - {{name: json-null, http: "{app}/doc", interval: 1s, expect: {{json: {{gone: null, "items[0].n": 2.5}}}}}}
  - {{name: json-type, http: "{app}/doc", interval: 1s, expect: {{json: {{str3: 3}}}}}}
  - {{name: huge, http: "{app}/huge", interval: 1s}}
  - {{name: huge-contains, http: "{app}/huge", interval: 1s, expect: {{body_contains: healthy}}}}
"""


def status_lines(d):
    out = run_cli("status", "--data-dir", str(d.data_dir))
    assert out.returncode == 0, out.stderr
    return {line.split()[0]: line for line in out.stdout.splitlines() if line.startswith("  ")}


def test_check_reasons_end_to_end(daemon_factory, app):
    d = daemon_factory(config(free_port(), app)).start()
    names = ["json-null", "json-type", "huge", "huge-contains"]
    def probed():
        s = status_lines(d)
        return s if all(n in s and " PENDING " not in s[n] for n in names) else None
    lines = wait_for(probed, timeout=20, what="a probe of every check")
    assert " UP " in lines["json-null"], lines["json-null"]
    assert re.search(r'failing for \S+: str3 was "3", expected 3$', lines["json-type"]), lines["json-type"]
    assert " UP " in lines["huge"], lines["huge"]
    assert re.search(r"failing for \S+: response body larger than 1 MiB$", lines["huge-contains"]), lines["huge-contains"]


def test_http_reload_is_logged_like_sighup(daemon_factory, app):
    port = free_port()
    d = daemon_factory(config(port, app)).start()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/-/reload", data=b"", method="POST")
    assert urllib.request.urlopen(request, timeout=10).status == 200
    wait_for(lambda: "configuration reloaded" in d.log(), what="reload log line")


@pytest.fixture
def tls_app(tmp_path):
    """A loopback HTTPS server with a self-signed certificate made by openssl."""
    import ssl
    import subprocess
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
    server.server_close()


def test_https_checks_reuse_tls_work_without_mixing_trust(daemon_factory, tls_app):
    url, cert = tls_app
    port = free_port()
    d = daemon_factory(f"""
global: {{listen: "127.0.0.1:{port}"}}
checks:
  - {{name: trusted, http: "{url}/doc", interval: 1s, ca_file: "{cert}", tls_min_days: 7}}
  - {{name: insecure, http: "{url}/doc", interval: 1s, insecure_skip_verify: true}}
  - {{name: system, http: "{url}/doc", interval: 1s}}
""").start()
    # Every check makes a new handshake each second; after the first few, contexts come back.
    wait_for(lambda: (metric(port, "lookout_tls_contexts_reused_total") or 0) >= 6, timeout=30,
             what="recycled TLS contexts")
    assert metric(port, "lookout_tls_contexts_created_total") >= 1
    # The server's one certificate is decoded once and found again on the later handshakes.
    assert metric(port, "lookout_tls_certificate_cache_hits_total") >= 3
    assert metric(port, "lookout_tls_certificates_decoded_total") >= 1
    lines = status_lines(d)
    assert " UP " in lines["trusted"], lines["trusted"]
    assert " UP " in lines["insecure"], lines["insecure"]
    # The system bundle never learns the test certificate from the checks beside it.
    assert " DOWN " in lines["system"], lines["system"]
    assert "self-signed certificate" in lines["system"], lines["system"]
