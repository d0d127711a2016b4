import Config
import Model
import Testing

/// Decoded values and defaults of the typed model.
@Suite struct DecodingTests {
    static func load(_ name: String) throws -> LookoutConfig {
        try Fixtures.parse(Fixtures.testdata + "/good", name, environment: Fixtures.fullEnvironment).get()
    }

    @Test func specExampleDecodesToTheExpectedModel() throws {
        let config = try Self.load("spec-example.good.yml")
        #expect(config.global.listen == HostPort(host: "127.0.0.1", port: 9464))
        #expect(config.global.externalLabels == Labels(["env": "production"]))
        let api = config.checks[0]
        #expect(api.target == .http(url: "https://api.example.com/health"))
        #expect(api.interval == 30_000 && api.timeout == 5000)
        #expect(api.headers["Authorization"]?.value == "Bearer health-token-value")
        #expect(api.expect.status == [200] && api.expect.maxLatency == 5000)
        #expect(api.expect.json == [JSONExpectation(path: "status", value: .string("healthy")),
                                    JSONExpectation(path: "checks.database", value: .string("healthy"))])
        #expect(api.tlsMinDays == 14 && api.followRedirects && api.maxRedirects == 10)
        #expect(config.checks[1].target == .tcp(address: HostPort(host: "api.example.com", port: 443)))
        #expect(config.checks[1].interval == 30_000 && config.checks[1].timeout == 10_000)
        #expect(config.scrape[0].targets.count == 2 && config.scrape[0].labels == Labels(["team": "core"]))
        #expect(config.sql[0].name == "api_calls_cost" && config.sql[0].interval == 60_000)
        #expect(config.ruleFileGlobs == ["/etc/lookout/rules/*.yml"] && config.ruleFiles.isEmpty)
    }

    @Test func specExampleAlerts() throws {
        let alerts = try Self.load("spec-example.good.yml").alerts
        #expect(alerts.map(\.name) == ["ApiDown", "ErrorRateSpike", "SlowApi", "HighDailyCost", "HighMemory"])
        #expect(alerts[0].kind == .checkFailing(check: "api-health") && alerts[0].forDuration == 300_000)
        #expect(alerts[0].threshold == nil && alerts[0].severity == "critical")
        guard case .errorRate(let rate) = alerts[1].kind else { Issue.record("kind"); return }
        #expect(rate.errors == "http_requests_total{job=\"api\",status=~\"5..\"}" && rate.window == 300_000)
        #expect(alerts[1].threshold == .above(0.1))
        #expect(alerts[2].kind == .latency(.init(histogram: "http_request_duration_seconds{job=\"api\"}",
                                                 quantile: 0.95, window: 300_000)))
        #expect(alerts[2].threshold == .above(5), "durations are seconds")
        #expect(alerts[3].kind == .dailyCost(.counter("llm_cost_usd_total")) && alerts[3].threshold == .above(50))
        #expect(alerts[4].annotations["runbook_url"] == "https://wiki.example.com/runbooks/memory")
    }

    @Test func specExampleNotify() throws {
        let notify = try Self.load("spec-example.good.yml").notify
        #expect(notify.channels.map(\.name) == ["pager", "team-slack", "ops-email", "audit", "journal"])
        guard case .email(let email) = notify.channel(named: "ops-email")?.kind,
              case .pagerduty(let pager) = notify.channel(named: "pager")?.kind
        else { Issue.record("kinds"); return }
        #expect(email.tls == .starttls && email.username == "smtp-user" && email.to == ["admin@example.com"])
        #expect(pager.url == "https://events.pagerduty.com/v2/enqueue")
        #expect(notify.routes.count == 3)
        #expect(notify.routes[1].matchers == [try Matcher("service", .regexMatch, "billing|payments"),
                                              try Matcher("env", .notEqual, "staging")])
        #expect(notify.routes[1].continueMatching && !notify.routes[0].continueMatching)
        #expect(notify.routes[0].matchers == [try Matcher("severity", .equal, "critical")])
        #expect(notify.groupBy == ["alertname", "job"] && notify.repeatInterval == 4 * 3_600_000)
        #expect(notify.maxAge == 86_400_000 && notify.sendResolved)
        #expect(notify.inhibit.first?.equal == ["job"])
    }

    @Test func edgeValues() throws {
        let config = try Self.load("edge-values.good.yml")
        #expect(config.global.listen == nil)
        #expect(config.global.scrapeInterval == 5_400_000)
        guard case .basic(let user, let hash)? = config.global.apiAuth else { Issue.record("auth"); return }
        #expect(user == "admin" && hash.value == "30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4")
        #expect(config.checks[0].target == .tcp(address: HostPort(host: "::1", port: 5432)))
        #expect(config.checks[0].timeout == 5000 && config.checks[0].ipVersion == .ipv6)
        #expect(config.checks[1].method == "POST" && config.checks[1].expect.status == [204])
        #expect(config.checks[1].expect.json == [
            JSONExpectation(path: "ok", value: .bool(true)), JSONExpectation(path: "count", value: .number(3)),
            JSONExpectation(path: "name", value: .string("3")), JSONExpectation(path: "gone", value: .null),
            JSONExpectation(path: "none", value: .null), JSONExpectation(path: "text", value: .string("null")),
        ])
        #expect(config.scrape[0].bodySizeLimit == 512 * 1024 && config.scrape[0].interval == 5_400_000)
        #expect(config.scrape[0].targets[0].description == "[::1]:9100")
        #expect(config.alerts[0].threshold == .below(0) && config.alerts[1].threshold == .above(12.5))
        #expect(config.notify.routes[0].matchers.count == 3 && config.notify.routes[1].matchers.isEmpty)
        #expect(config.reports[0].hour == 7 && config.reports[0].minute == 5 && config.reports[0].include == [.uptime])
    }

    @Test func emptyFileIsAllDefaults() throws {
        let config = try Self.load("empty.good.yml")
        #expect(config.global.scrapeInterval == 15_000 && config.global.evaluationInterval == 15_000)
        #expect(config.global.retention == 30 * 86_400_000 && config.global.dataDir == "/var/lib/lookout")
        #expect(!config.hostMetrics && config.checks.isEmpty && config.notify.groupWait == 30_000)
        #expect(config.notify.groupBy == ["alertname"])
    }

    @Test func positionsPointAtTheEntries() throws {
        let config = try Self.load("spec-example.good.yml")
        #expect(config.checks[1].position.line == 25 && config.checks[1].position.column == 5)
        #expect(config.checks[1].position.file == "spec-example.good.yml")
    }
}
