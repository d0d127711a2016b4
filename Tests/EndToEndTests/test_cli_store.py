"""CLI commands that read or write the store: query, silence, notify test, test rules."""
import json

import os
import shutil
import sqlite3
import subprocess

from conftest import lookout_bin, run_cli, wait_for

CONFIG = """
global:
  evaluation_interval: 1s
  scrape_interval: 1s
  listen: ""
host_metrics: true
alerts:
  - name: AlwaysOn
    expr: vector(1) > 0
    severity: warning
notify:
  channels:
    journal: {log: {}}
  default_channels: [journal]
"""


def test_query_reads_the_store_while_the_daemon_runs(daemon_factory):
    d = daemon_factory(CONFIG).start()
    args = ["--config", str(d.config), "--data-dir", str(d.data_dir)]
    out = wait_for(lambda: (lambda o: o if "alertstate=\"firing\"" in o.stdout else None)(run_cli("query", "ALERTS", *args)),
                   timeout=20, what="ALERTS firing in the store")
    assert 'alertname="AlwaysOn"' in out.stdout
    js = run_cli("query", "sum(ALERTS)", "--json", *args)
    doc = json.loads(js.stdout)
    assert doc["status"] == "success" and doc["data"]["resultType"] == "vector"
    assert doc["data"]["result"][0]["value"][1] == "1"
    mem = wait_for(lambda: (lambda o: o if "node_memory_MemTotal_bytes" in o.stdout else None)(
        run_cli("query", "node_memory_MemTotal_bytes > 0", *args)), timeout=10, what="host metrics")
    assert mem.returncode == 0
    assert d.stop() == 0


def test_query_rejects_bad_expression_with_position(workdir):
    out = run_cli("query", "sum(rate(x[5m])", "--data-dir", str(workdir))
    assert out.returncode == 1
    assert "1:" in out.stderr and "parse error" in out.stderr


def test_range_query_over_the_store(daemon_factory):
    d = daemon_factory(CONFIG).start()
    args = ["--config", str(d.config), "--data-dir", str(d.data_dir)]
    wait_for(lambda: "firing" in run_cli("query", "ALERTS", *args).stdout, timeout=20, what="ALERTS")
    out = run_cli("query", "ALERTS", "--start", "now", "--step", "1s", "--json", *args)
    doc = json.loads(out.stdout)
    assert doc["data"]["resultType"] == "matrix"
    d.stop()


def test_silences_work_without_the_daemon(workdir):
    args = ["--data-dir", str(workdir / "data")]
    add = run_cli("silence", "add", "--match", "alertname=HighMemory", "--match", "instance=~web-.*",
                  "--for", "2h", "--comment", "maintenance", "--author", "ops", *args)
    assert add.returncode == 0, add.stderr
    sid = add.stdout.strip()
    listed = run_cli("silence", "list", *args)
    assert sid in listed.stdout and 'instance=~"web-.*"' in listed.stdout and "active" in listed.stdout
    assert run_cli("silence", "expire", sid, *args).returncode == 0
    assert sid not in run_cli("silence", "list", *args).stdout
    assert sid in run_cli("silence", "list", "--all", *args).stdout
    assert run_cli("silence", "expire", sid, *args).returncode == 1


def test_silence_rejects_bad_input(workdir):
    args = ["--data-dir", str(workdir / "data")]
    assert run_cli("silence", "add", "--match", "alertname=~(", "--for", "1h", "--comment", "x", *args).returncode == 1
    assert run_cli("silence", "add", "--match", "a=~.*", "--for", "1h", "--comment", "x", *args).returncode == 1
    assert run_cli("silence", "add", "--match", "a=b", "--for", "soon", "--comment", "x", *args).returncode == 1


def test_invalid_arguments_exit_1_not_argument_parsers_64(workdir):
    """The README's exit codes: 1 for invalid input, arguments included."""
    args = ["--data-dir", str(workdir)]
    for argv in (["query", *args], ["bogus"], ["status", "--frobnicate"]):
        out = run_cli(*argv)
        assert out.returncode == 1, (argv, out.returncode, out.stderr)
        assert out.stderr.startswith("Error: "), out.stderr
    assert run_cli("--help").returncode == 0 and run_cli("query", "--help").returncode == 0


def test_notify_test_delivers_to_a_webhook(workdir, hook):
    cfg = workdir / "n.yml"
    cfg.write_text(f"""
notify:
  channels:
    audit:
      webhook: {{url: "{hook.url}/hook"}}
  default_channels: [audit]
""")
    out = run_cli("notify", "test", "audit", "--config", str(cfg))
    assert out.returncode == 0, out.stderr
    payload = hook.json_posts("/hook")[0]
    assert payload["version"] == "4"
    assert payload["alerts"][0]["labels"]["alertname"] == "LookoutTest"


def test_notify_test_reports_the_receivers_error(workdir, hook):
    hook.status = 400
    hook.body = b"invalid_payload"
    cfg = workdir / "n.yml"
    cfg.write_text(f"""
notify:
  channels:
    team-slack:
      slack: {{webhook_url: "{hook.url}/services/T/B/secret-token"}}
  default_channels: [team-slack]
""")
    out = run_cli("notify", "test", "team-slack", "--config", str(cfg))
    assert out.returncode == 2
    assert "400" in out.stderr and "invalid_payload" in out.stderr
    assert "secret-token" not in out.stderr + out.stdout
    unknown = run_cli("notify", "test", "nope", "--config", str(cfg))
    assert unknown.returncode == 1  # an unknown channel is invalid input, not a delivery failure
    assert 'unknown channel "nope" (configured: team-slack)' in unknown.stderr


def test_status_shows_why_the_notification_queue_is_stuck(daemon_factory):
    """`lookout status` shows, per channel, the attempts and the last error of the oldest queued
    notification, so an operator sees why nothing arrives (here: nothing listens)."""
    from conftest import free_port
    port = free_port()
    d = daemon_factory(CONFIG.replace("journal: {log: {}}", f'hook: {{webhook: {{url: "http://127.0.0.1:{port}/hook"}}}}')
                       .replace("default_channels: [journal]", "default_channels: [hook]\n  group_wait: 0s")).start()
    args = ["--config", str(d.config), "--data-dir", str(d.data_dir)]
    out = wait_for(lambda: (lambda o: o if "last error" in o.stdout else None)(run_cli("status", *args)),
                   timeout=20, what="a failed attempt in lookout status")
    queue = out.stdout[out.stdout.index("NOTIFICATION QUEUE"):]
    assert "hook" in queue and "1 queued" in queue, queue
    assert "connection refused" in queue, queue
    d.stop()


def test_status_says_when_it_cannot_read_the_check_results(daemon_factory):
    d = daemon_factory(CONFIG + """
checks:
  - name: nothing-listens
    tcp: 127.0.0.1:9
    interval: 1s
""").start()
    args = ["--config", str(d.config), "--data-dir", str(d.data_dir)]
    wait_for(lambda: "failing" in run_cli("status", *args).stdout, timeout=20, what="a check result in lookout status")
    d.stop()
    db = sqlite3.connect(str(d.data_dir / "lookout.db"))
    db.executescript("DROP TABLE check_status; CREATE TABLE check_status(unrelated TEXT);")
    db.close()
    out = run_cli("status", *args)
    assert out.returncode == 0, out.stderr
    assert "cannot read the check results" in out.stdout, out.stdout
    assert "nothing-listens" in out.stdout


def test_notify_test_on_pagerduty_resolves_the_incident_it_opened(workdir, hook):
    cfg = workdir / "p.yml"
    cfg.write_text(f"""
notify:
  channels:
    pager:
      pagerduty: {{routing_key: "R0UT1NGKEY0123456789012345678901", url: "{hook.url}/v2/enqueue"}}
  default_channels: [pager]
""")
    out = run_cli("notify", "test", "pager", "--config", str(cfg))
    assert out.returncode == 0, out.stderr
    events = hook.json_posts("/v2/enqueue")
    assert [e["event_action"] for e in events] == ["trigger", "resolve"]
    assert events[0]["dedup_key"] == events[1]["dedup_key"]
    assert events[0]["payload"]["severity"] == "info"


def test_test_rules_passes_and_fails_like_promtool(workdir):
    rules = workdir / "r.yml"
    rules.write_text("""groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        for: 2m
        labels: {severity: critical}
        annotations: {summary: "{{ $labels.instance }} down"}
""")
    good = workdir / "good.test.yml"
    good.write_text("""rule_files: [r.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="api", instance="a"}'
        values: '1 0 0 0 0'
    alert_rule_test:
      - eval_time: 2m
        alertname: Down
        exp_alerts: []
      - eval_time: 4m
        alertname: Down
        exp_alerts:
          - exp_labels: {severity: critical, job: api, instance: a}
            exp_annotations: {summary: "a down"}
""")
    out = run_cli("test", "rules", str(good), cwd=workdir)
    assert out.returncode == 0, out.stdout + out.stderr
    bad = workdir / "bad.test.yml"
    bad.write_text(good.read_text().replace('summary: "a down"', 'summary: "b down"'))
    out = run_cli("test", "rules", str(bad), cwd=workdir)
    assert out.returncode == 1
    # As promtool: file names and SUCCESS on stdout, warnings and failures on stderr.
    assert "FAILED" in out.stderr and "b down" in out.stderr and "FAILED" not in out.stdout
    assert out.stdout.startswith("Unit Testing:  ")
    promtool = shutil.which("promtool")
    if promtool:
        warn = workdir / "warn.test.yml"
        warn.write_text(good.read_text().replace("rule_files: [r.yml]", "rule_files: [r.yml, none-*.yml]"))
        for files in ([str(bad)], [str(warn), str(good)]):
            ours = run_cli("test", "rules", *files, cwd=workdir)
            theirs = subprocess.run([promtool, "test", "rules", *files], capture_output=True, text=True, cwd=workdir)
            assert (ours.returncode, ours.stdout, ours.stderr) == (theirs.returncode, theirs.stdout, theirs.stderr)


def test_cli_reads_secrets_from_lookout_env_beside_the_config(workdir, hook):
    # Under systemd the unit loads /etc/lookout/lookout.env for the daemon; an operator's shell
    # does not have those variables, so every command reads the file beside the config too.
    cfg = workdir / "lookout.yml"
    cfg.write_text("""
notify:
  channels:
    audit:
      webhook: {url: "${AUDIT_HOOK}"}
  default_channels: [audit]
""")
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_HOOK"}
    missing = subprocess.run([lookout_bin(), "check", "--config", str(cfg)], capture_output=True, text=True, env=env)
    assert missing.returncode == 1 and "AUDIT_HOOK is not set" in missing.stderr + missing.stdout
    (workdir / "lookout.env").write_text(f'# secrets\nAUDIT_HOOK="{hook.url}/from-file"\n')
    assert subprocess.run([lookout_bin(), "check", "--config", str(cfg)], capture_output=True, text=True,
                          env=env).returncode == 0
    out = subprocess.run([lookout_bin(), "notify", "test", "audit", "--config", str(cfg)], capture_output=True,
                         text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert len(hook.json_posts("/from-file")) == 1
    # The environment wins over the file.
    out = run_cli("notify", "test", "audit", "--config", str(cfg), env={"AUDIT_HOOK": f"{hook.url}/from-env"})
    assert out.returncode == 0, out.stderr
    assert len(hook.json_posts("/from-env")) == 1


def test_status_ages_are_those_of_the_stored_samples(daemon_factory, workdir):
    """With the daemon gone, `lookout status` must show how old the last run is, not "0s ago"
    (an instant vector carries the evaluation time, not the sample's)."""
    import re
    app_db = workdir / "app.db"
    sqlite3.connect(str(app_db)).close()
    d = daemon_factory(CONFIG + f"""
sql:
  - name: one
    database: {app_db}
    interval: 1s
    query: "SELECT 1 AS value"
""").start()
    args = ["--config", str(d.config), "--data-dir", str(d.data_dir)]
    wait_for(lambda: "SQL SOURCES" in run_cli("status", *args).stdout, timeout=20, what="sql_up in lookout status")
    d.kill9()
    out = wait_for(lambda: (lambda o: o if re.search(r"last run [1-9][0-9]*s ago", o.stdout) else None)(run_cli("status", *args)),
                   timeout=20, what="the age of the last sql run growing after the daemon stopped")
    assert out.returncode == 0, out.stderr


def test_sql_source_explains_an_unreadable_wal_database(workdir):
    """A WAL database with no application connection open has no -shm file; a read-only reader
    must create it. When Lookout cannot (another user's directory), the log says so instead of
    SQLite's "attempt to write a readonly database". Needs root to run Lookout as `nobody`."""
    import pwd
    import pytest
    if os.geteuid() != 0:
        pytest.skip("needs root to run Lookout as another user")
    appdir = workdir / "app"
    appdir.mkdir()
    db = sqlite3.connect(str(appdir / "app.db"))
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t(v)")
    db.commit()
    db.close()  # the last connection removes -wal and -shm
    os.chmod(appdir, 0o755)
    os.chmod(appdir / "app.db", 0o644)
    os.chmod(workdir, 0o755)
    own = workdir / "lookout"
    own.mkdir()
    os.chown(own, pwd.getpwnam("nobody").pw_uid, -1)
    config = own / "lookout.yml"
    config.write_text(f"""
global:
  data_dir: {own / 'data'}
  listen: ""
sql:
  - name: app_rows
    database: {appdir / 'app.db'}
    interval: 1s
    query: "SELECT count(*) AS value FROM t"
""")
    os.chmod(config, 0o644)
    log = own / "stderr.log"
    with open(log, "wb") as err:
        nobody = pwd.getpwnam("nobody")
        proc = subprocess.Popen([lookout_bin(), "run", "--config", str(config)], stdout=subprocess.DEVNULL, stderr=err,
                                user=nobody.pw_uid, group=nobody.pw_gid, extra_groups=[], cwd=own)
        try:
            text = wait_for(lambda: (lambda t: t if "sql source failed" in t else None)(log.read_text(errors="replace")),
                            timeout=30, what="the sql failure in the log")
        finally:
            proc.kill()
            proc.wait()
    assert "-shm file is missing" in text and "not writable by Lookout" in text, text
    assert sorted(p.name for p in appdir.iterdir()) == ["app.db"]
