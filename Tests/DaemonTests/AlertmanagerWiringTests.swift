import Config
import Curl
import Foundation
import Model
import Rules
import Server
import Synchronization
import Testing
import TestSupport
@testable import Daemon

@Suite struct AlertmanagerWiringTests {
    @Test func firingAlertsAreValidForFourTimesTheLongerOfResendDelayAndGroupInterval() {
        let groups = [
            GroupSpec(name: "slow", interval: 120_000, rules: [RuleSpec(kind: .alert("Slow"), expr: "vector(1)")]),
            GroupSpec(name: "fast", interval: 10_000, rules: [RuleSpec(kind: .alert("Fast"), expr: "vector(1)")]),
        ]
        let validity = AlertValidity(groups: groups, fallback: 300_000)
        func alert(_ name: String) -> Alert { Alert(labels: ["alertname": name], state: .firing, value: 1, activeAt: 0) }
        #expect(validity.validFor(alert("Slow")) == 480_000)
        #expect(validity.validFor(alert("Fast")) == 240_000)
        #expect(validity.validFor(alert("Watchdog")) == 1_200_000)
    }

    @Test func fanOutFeedsTheNotifierAndEveryAlertmanager() async throws {
        let dir = try TemporaryDirectory()
        let curl = try CurlLoop()
        let receiver = try await ScriptServer.launch(script: "notify_receiver.py")
        defer { receiver.stop() }
        let text = """
            global: {evaluation_interval: 30s}
            alertmanagers: [{url: "\(receiver.url("/"))"}]
            """
        let config = try ConfigLoader.parse(text: text, fileName: "t.yml", environment: [:]).get()
        let wiring = AlertmanagerWiring(dataDir: dir.path, curl: curl)
        defer { wiring.stop() }
        let groups = [GroupSpec(name: "g", interval: 120_000, rules: [RuleSpec(kind: .alert("Slow"), expr: "vector(1)")])]
        try wiring.apply(config, groups: groups)
        let notified = Mutex<[Alert]>([])
        let notify = wiring.fanOut { alerts in notified.withLock { $0 += alerts } }
        let sentAt = Timestamp(Date().timeIntervalSince1970 * 1000)
        notify([Alert(labels: ["alertname": "Slow"], state: .firing, value: 1, activeAt: sentAt, firedAt: sentAt)])
        #expect(notified.withLock { $0.count } == 1)

        var posts: [[String: Any]] = []
        for _ in 0..<500 where posts.isEmpty {
            let response = try await curl.perform(HTTPRequest(url: receiver.url("/_received")))
            posts = try JSONSerialization.jsonObject(with: Data(response.body)) as! [[String: Any]]
            if posts.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        let post = try #require(posts.first)
        #expect(post["path"] as? String == "/api/v2/alerts")
        let alerts = try JSONSerialization.jsonObject(with: Data((post["body"] as! String).utf8)) as! [[String: Any]]
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let starts = try #require(formatter.date(from: alerts[0]["startsAt"] as! String))
        let ends = try #require(formatter.date(from: alerts[0]["endsAt"] as! String))
        // 4 × max(1m resend delay, the group's 2m interval), from the send.
        #expect(abs(ends.timeIntervalSince(starts) - 480) < 5)
        #expect(FileManager.default.fileExists(atPath: AlertmanagerWiring.databasePath(dataDir: dir.path)))
    }

    @Test func withoutAlertmanagersNothingIsOpenedAndTheNotifierStillGetsAlerts() throws {
        let dir = try TemporaryDirectory()
        let wiring = AlertmanagerWiring(dataDir: dir.path, curl: try CurlLoop())
        let config = try ConfigLoader.parse(text: "global: {evaluation_interval: 30s}", fileName: "t.yml", environment: [:]).get()
        try wiring.apply(config, groups: [])
        let notified = Mutex(0)
        wiring.fanOut { alerts in notified.withLock { $0 += alerts.count } }(
            [Alert(labels: ["alertname": "X"], state: .firing, value: 1, activeAt: 0)])
        #expect(notified.withLock { $0 } == 1)
        #expect(!FileManager.default.fileExists(atPath: AlertmanagerWiring.databasePath(dataDir: dir.path)))
        var metrics = MetricsText()
        wiring.render(into: &metrics)
        #expect(metrics.text.contains("lookout_alertmanagers_discovered 0\n"))
    }
}
