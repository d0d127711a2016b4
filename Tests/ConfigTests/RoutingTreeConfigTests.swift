import Config
import Model
import Testing

/// Routes as Alertmanager's tree: per-route grouping overrides, nested routes and inhibit
/// matchers. The README's porting example must load as written (errors: testdata/bad/notify-route-tree*).
@Suite struct RoutingTreeConfigTests {
    static func readmeExample() throws -> LookoutConfig {
        let readme = Fixtures.read(Fixtures.repoRoot + "/README.md")
        let section = try #require(readme.range(of: "### Routing tree"))
        let rest = readme[section.upperBound...]
        let start = try #require(rest.range(of: "```yaml\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        let environment = ["PAGERDUTY_ROUTING_KEY": "k", "SLACK_WEBHOOK_URL": "https://hooks.example.com/a",
                           "BILLING_SLACK_WEBHOOK_URL": "https://hooks.example.com/b"]
        return try ConfigLoader.parse(text: String(rest[start.upperBound..<end.lowerBound]), fileName: "README.md",
                                      directory: Fixtures.repoRoot, environment: environment,
                                      validator: Fixtures.validator).get()
    }

    @Test func readmeTreeDecodes() throws {
        let notify = try Self.readmeExample().notify
        #expect(notify.defaultChannels == ["team-slack"] && notify.repeatInterval == 3 * 3_600_000)
        let critical = notify.routes[0]
        #expect(critical.channels == ["pager"] && critical.continueMatching)
        #expect(critical.groupWait == 10_000 && critical.repeatInterval == 3_600_000)
        #expect(critical.groupBy == nil && critical.groupInterval == nil && critical.sendResolved == nil)
        let billing = notify.routes[1]
        #expect(billing.groupBy == ["alertname", "instance"] && billing.routes.count == 2)
        #expect(billing.routes[0].channels == ["billing-slack"])
        #expect(billing.routes[1].channels.isEmpty, "inherits billing-email when mapped")
        #expect(billing.routes[1].repeatInterval == 43_200_000)
        #expect(billing.routes[1].matchers == [try Matcher("alertname", .equal, "BillingJobLate")])
    }

    @Test func inhibitTakesMatchers() throws {
        let rule = try #require(try Self.readmeExample().notify.inhibit.first)
        #expect(rule.source == [try Matcher("severity", .equal, "critical")])
        #expect(rule.target == [try Matcher("severity", .regexMatch, "warning|info")])
        #expect(rule.equal == ["alertname", "instance"])
    }

    @Test func inhibitMapAndMatchersCombine() throws {
        let yaml = """
            notify:
              channels: {log: {log: {}}}
              inhibit:
                - source: {severity: critical}
                  source_matchers: ['team!="db"']
                  target_matchers: ['severity=~"warning|info"']
            """
        let config = try ConfigLoader.parse(text: yaml, fileName: "x.yml", environment: [:]).get()
        #expect(config.notify.inhibit[0].source == [try Matcher("severity", .equal, "critical"),
                                                    try Matcher("team", .notEqual, "db")])
    }

    @Test func summaryShowsTheTree() throws {
        let summary = ConfigSummary.render(try Self.readmeExample())
        #expect(summary.contains("""
            routes (2):
              {severity="critical"} → pager (continue) [group_wait 10s, repeat_interval 1h]
              {service=~"billing|payments"} → billing-email [group_by [alertname, instance]]
                {severity="warning"} → billing-slack
                {alertname="BillingJobLate"} → billing-email [repeat_interval 12h]
            """), "\(summary)")
    }

    @Test func deepNestingIsRefused() {
        var yaml = "notify:\n  channels: {log: {log: {}}}\n  routes:\n"
        var indent = "    "
        for _ in 0..<20 {
            yaml += indent + "- channels: [log]\n" + indent + "  routes:\n"
            indent += "    "
        }
        yaml += indent + "- channels: [log]\n"
        guard case .failure(let errors) = ConfigLoader.parse(text: yaml, fileName: "deep.yml", environment: [:]) else {
            Issue.record("accepted"); return
        }
        #expect(errors.diagnostics.map(\.message) == ["routes nest at most 16 levels deep"])
    }
}
