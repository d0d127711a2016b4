"""`lookout check` and `lookout version` on the shipped configs."""
from conftest import REPO, run_cli


def test_version_prints_build_info():
    out = run_cli("version")
    assert out.returncode == 0
    assert out.stdout.startswith("lookout ")
    assert "libcurl" in out.stdout and "sqlite" in out.stdout


def test_check_passes_on_every_shipped_config():
    for name in ["lookout.yml", "lookout.reference.yml"]:
        out = run_cli("check", "--config", str(REPO / "config" / name))
        assert out.returncode == 0, out.stderr
        assert "valid" in out.stdout


def test_check_summary_names_checks_targets_rules_channels():
    out = run_cli("check", "--config", str(REPO / "config" / "lookout.reference.yml"))
    text = out.stdout
    for word in ["checks", "targets", "rules", "channels", "routes", "api-health"]:
        assert word in text, word


def test_check_never_prints_secrets(workdir):
    cfg = workdir / "s.yml"
    cfg.write_text("""
notify:
  channels:
    team-slack:
      slack: {webhook_url: "${SLACK_URL}"}
  default_channels: [team-slack]
""")
    out = run_cli("check", "--config", str(cfg), env={"SLACK_URL": "https://hooks.slack.test/T000/B000/supersecret"})
    assert out.returncode == 0, out.stderr
    assert "supersecret" not in out.stdout + out.stderr


def test_check_reports_every_error_with_position(workdir):
    cfg = workdir / "bad.yml"
    cfg.write_text("""global:
  evaluation_interval: 1q
checks:
  - name: a
    http: http://127.0.0.1:1/
  - name: a
    tcp: nowhere
notify:
  default_channels: [missing]
""")
    out = run_cli("check", "--config", str(cfg))
    assert out.returncode == 1
    lines = [l for l in out.stderr.splitlines() if l.startswith(str(cfg))]
    assert len(lines) >= 3, out.stderr
    assert any(":2:24:" in l for l in lines)
