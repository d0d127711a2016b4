import Config
import Foundation
import Testing

/// The `lookout check` summary.
@Suite struct SummaryTests {
    static let reference = Fixtures.repoRoot + "/config/lookout.reference.yml"

    @Test func summaryOfTheReferenceConfigMatchesTheGoldenFile() throws {
        let config = try ConfigLoader.load(path: Self.reference, environment: [:]).get()
        let summary = ConfigSummary.render(config) { alert in
            if case .checkFailing(let check) = alert.kind { return "probe_success{check=\"\(check)\"} == 0" }
            return nil
        }
        let rendered = summary.replacingOccurrences(of: Fixtures.repoRoot + "/", with: "")
        let goldenPath = Fixtures.testdata + "/summary/reference.summary.txt"
        if ProcessInfo.processInfo.environment["LOOKOUT_REGENERATE"] == "1" {
            try rendered.write(toFile: goldenPath, atomically: true, encoding: .utf8)
        }
        #expect(rendered == Fixtures.read(goldenPath))
    }

    @Test func summaryNeverShowsSecretsOrURLPaths() throws {
        let environment = ["SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T9/B9/slack-secret-path",
                           "PAGERDUTY_ROUTING_KEY": "pd-secret-key", "SMTP_PASSWORD": "smtp-secret-pw",
                           "HEALTH_TOKEN": "health-secret", "REMOTE_WRITE_TOKEN": "rw-secret"]
        let config = try ConfigLoader.load(path: Self.reference, environment: environment).get()
        let summary = ConfigSummary.render(config)
        for secret in environment.values { #expect(!summary.contains(secret)) }
        #expect(!summary.contains("slack-secret-path") && !summary.contains("/services/"))
    }

    @Test func summaryNamesEverySection() throws {
        let config = try ConfigLoader.loadDefault().get()
        let summary = ConfigSummary.render(config)
        for needle in ["checks (1):", "lookout-self: http http://127.0.0.1:9464/-/healthy every 30s", "scrape jobs (1, 1 targets):",
                       "alerts (2):", "channels (1):", "journal: log", "default → journal"] {
            #expect(summary.contains(needle), "\(needle)")
        }
    }
}

extension SummaryTests {
    @Test func checkURLsLoseUserInfoAndQuery() throws {
        let text = "checks:\n  - name: c\n    http: https://user:pw@api.example.com:8443/health?token=abc\n"
        let config = try ConfigLoader.parse(text: text, fileName: "l.yml", environment: [:]).get()
        let summary = ConfigSummary.render(config)
        #expect(summary.contains("c: http https://api.example.com:8443/health?… every 30s"))
        #expect(!summary.contains("pw") && !summary.contains("abc"))
    }
}
