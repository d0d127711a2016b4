"""An Alertmanager routing tree ported to `notify:` (README, "Routing tree"): nested routes,
`continue`, per-route `group_by` and `repeat_interval`, a nested route inheriting its parent's
channels, and an inhibit rule written with `source_matchers`/`target_matchers`. Each channel is a
webhook on its own path of one recording receiver; the daemon evaluates real rules."""
from conftest import wait_for

RULES = """
groups:
  - name: migrated
    rules:
      - {alert: ApiDown, expr: vector(1), labels: {severity: critical, service: api, instance: a}}
      - {alert: PaymentsDown, expr: vector(1), labels: {severity: critical, service: payments, instance: b}}
      - {alert: PaymentsSlow, expr: vector(1), labels: {severity: warning, service: payments, instance: b}}
      - {alert: DiskFull, expr: vector(1), labels: {severity: critical, service: storage, instance: c}}
      - {alert: DiskFull, expr: vector(1), labels: {severity: warning, service: payments, instance: c}}
      - {alert: BillingJobLate, expr: vector(1), labels: {severity: info, service: billing, instance: d}}
      - {alert: WebSlow, expr: vector(1), labels: {severity: info, service: web, instance: e}}
"""


def config(hook):
    def channel(path):
        return f'{{webhook: {{url: "{hook.url}/{path}"}}}}'
    return f"""
global:
  evaluation_interval: 1s
  listen: ""
rule_files: [rules.yml]
notify:
  channels:
    pager: {channel("pager")}
    team-slack: {channel("team")}
    billing-email: {channel("billing")}
    billing-slack: {channel("billing-warn")}
  default_channels: [team-slack]
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['severity="critical"']
      channels: [pager]
      group_wait: 500ms
      continue: true
    - matchers: ['service=~"billing|payments"']
      channels: [billing-email]
      group_by: [alertname, instance]
      routes:
        - matchers: ['severity="warning"']
          channels: [billing-slack]
        - matchers: ['alertname="BillingJobLate"']
          repeat_interval: 2s
  inhibit:
    - source_matchers: ['severity="critical"']
      target_matchers: ['severity=~"warning|info"']
      equal: [alertname, instance]
"""


def alerts(hook, path):
    """(alertname, instance) of every alert posted to `path`, in order, repeats included."""
    return [(a["labels"]["alertname"], a["labels"]["instance"])
            for post in hook.json_posts("/" + path) for a in post["alerts"]]


def test_ported_alertmanager_tree_routes_groups_repeats_and_inhibits(daemon_factory, workdir, hook):
    (workdir / "rules.yml").write_text(RULES)
    daemon = daemon_factory(config(hook)).start()

    # BillingJobLate stops at a nested route without channels: it goes to the parent's billing-email,
    # and that route's repeat_interval of 2s (not the global 1h) re-sends it.
    wait_for(lambda: alerts(hook, "billing").count(("BillingJobLate", "d")) >= 2, timeout=30,
             what=f"BillingJobLate repeated to billing-email (log: {daemon.log()[-2000:]})")

    # Critical alerts reach the pager and, through `continue`, later routes as well.
    assert sorted(set(alerts(hook, "pager"))) == [("ApiDown", "a"), ("DiskFull", "c"), ("PaymentsDown", "b")]
    # The billing route takes its own critical alert; its warning goes to the nested billing-slack.
    assert set(alerts(hook, "billing")) == {("PaymentsDown", "b"), ("BillingJobLate", "d")}
    # DiskFull warning on instance c is inhibited by DiskFull critical on c (regex target matcher);
    # PaymentsSlow has no critical alert of its name on b, so it is not.
    assert set(alerts(hook, "billing-warn")) == {("PaymentsSlow", "b")}
    # Only the alert no route took goes to default_channels.
    assert set(alerts(hook, "team")) == {("WebSlow", "e")}
    # Global routes repeat every 1h: one notification per group so far.
    assert alerts(hook, "pager").count(("ApiDown", "a")) == 1
    assert alerts(hook, "billing").count(("PaymentsDown", "b")) == 1

    # group_by is the route's: billing groups by alertname and instance, the root by alertname and service.
    billing_groups = [post["groupLabels"] for post in hook.json_posts("/billing")]
    assert {"alertname": "PaymentsDown", "instance": "b"} in billing_groups
    team_groups = [post["groupLabels"] for post in hook.json_posts("/team")]
    assert team_groups[0] == {"alertname": "WebSlow", "service": "web"}
    assert {post["receiver"] for post in hook.json_posts("/billing")} == {"billing-email"}


def test_inhibited_alert_is_sent_once_its_source_resolves_and_route_send_resolved(daemon_factory, workdir, hook):
    """Alertmanager semantics through the port: a warning inhibited by a critical alert is notified
    once the critical one resolves, and a route with `send_resolved: false` sends no resolution."""
    from receivers import Receiver
    app = Receiver()
    app.critical = 1
    app.routes["/metrics"] = lambda: (200, "text/plain", b'disk_critical{host="c"} %d\ndisk_warning{host="c"} 1\n' % app.critical)
    (workdir / "rules.yml").write_text("""
groups:
  - name: disks
    rules:
      - {alert: DiskFull, expr: disk_critical == 1, labels: {severity: critical}}
      - {alert: DiskFull, expr: disk_warning == 1, labels: {severity: warning}}
""")
    hooks = f"""
  channels:
    pager: {{webhook: {{url: "{hook.url}/pager"}}}}
    team: {{webhook: {{url: "{hook.url}/team"}}}}
"""
    try:
        daemon = daemon_factory(f"""
global: {{evaluation_interval: 1s, scrape_interval: 1s, listen: ""}}
scrape: [{{job: app, targets: ["127.0.0.1:{app.port}"]}}]
rule_files: [rules.yml]
notify:{hooks}
  default_channels: [team]
  group_by: [alertname, severity]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - matchers: ['severity="critical"']
      channels: [pager]
      send_resolved: false
  inhibit:
    - source_matchers: ['severity="critical"']
      target_matchers: ['severity=~"warning|info"']
      equal: [alertname, host]
""").start()
        wait_for(lambda: hook.json_posts("/pager"), timeout=30, what=f"critical page (log: {daemon.log()[-2000:]})")
        assert hook.json_posts("/team") == [], "the warning is inhibited while the critical alert fires"
        app.critical = 0
        team = wait_for(lambda: hook.json_posts("/team"), timeout=30, what="the warning once the critical alert resolved")
        assert team[0]["status"] == "firing" and team[0]["commonLabels"]["severity"] == "warning"
        # The disk fills again: the pager is notified of the new firing alert. Had the route sent
        # resolutions, the pager would have had one queued before it.
        app.critical = 1
        wait_for(lambda: len(hook.json_posts("/pager")) >= 2, timeout=30, what="the second page")
        assert [p["status"] for p in hook.json_posts("/pager")] == ["firing", "firing"]
    finally:
        app.close()
