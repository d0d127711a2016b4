import Model
import Testing
@testable import Server

@Suite("Status page")
struct StatusPageTests {
    static let hostile = "<script>alert(1)</script>\"'&"

    static func snapshot(now: Timestamp = Fixtures.now) -> StatusSnapshot {
        let buckets = (0..<90).map { CheckStatus.Bucket(start: now - Int64(90 - $0) * 960_000, total: 16, successes: $0 == 80 ? 15 : 16) }
        let checks = [
            CheckStatus(name: "api-health", target: "https://api.example.com/health", up: true, lastCheck: now - 5000,
                        latencySeconds: 0.085, since: now - 7_200_000, uptimeRatio: 0.9944, buckets: buckets,
                        latencies: [0.08, 0.09, nil, 0.12, 0.085],
                        history: [CheckStatus.Event(time: now - 5000, success: true, seconds: 0.085, statusCode: 200)]),
            CheckStatus(name: hostile, target: "tcp \(hostile)", up: false, reason: "\"><img src=x onerror=alert(2)>",
                        lastCheck: now, latencySeconds: 5, since: now - 60_000, uptimeRatio: 0.5, buckets: buckets,
                        latencies: [1, 2, 3],
                        history: [CheckStatus.Event(time: now, success: false, seconds: 5, reason: "timeout <after> 5s")],
                        outages: [CheckStatus.Outage(start: now - 60_000, end: nil, failures: 4, reason: "timeout <after> 5s"),
                                  CheckStatus.Outage(start: now - 7_200_000, end: now - 6_600_000, failures: 1,
                                                     reason: "status 503"),
                                  CheckStatus.Outage(start: nil, end: now - 80_000_000, failures: 9, reason: "")]),
        ]
        let alert = Alert(labels: ["alertname": "ApiDown", "evil": hostile], annotations: ["summary": hostile],
                          state: .firing, value: 0, activeAt: now - 600_000, firedAt: now - 300_000)
        let target = TargetInfo(labels: ["job": "api", "instance": hostile], scrapeURL: "http://127.0.0.1:8000/metrics",
                                health: .down, lastError: hostile, lastScrape: now - 1000, lastScrapeSeconds: 0.002,
                                intervalMilliseconds: 15_000, timeoutMilliseconds: 10_000)
        let silence = Silence(id: "s1", matchers: [try! Matcher("alertname", .equal, hostile)], startsAt: now - 1000,
                              endsAt: now + 3_600_000, createdBy: hostile, comment: hostile, updatedAt: now)
        let notification = NotificationInfo(time: now - 2000, channel: "team-slack", summary: "[FIRING:1] ApiDown \(hostile)",
                                            result: .failed, detail: hostile)
        return StatusSnapshot(generatedAt: now, version: "0.1.0", checks: checks, targets: [target], alerts: [alert],
                              silences: [silence], notifications: [notification], queue: QueueInfo(length: 2, oldest: now - 90_000))
    }

    @Test("untrusted text is escaped everywhere")
    func escaping() {
        let html = StatusPage.render(Self.snapshot())
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("alert(1)</"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        let detail = StatusPage.renderCheck(Self.snapshot().checks[1], snapshot: Self.snapshot())
        #expect(!detail.contains("<script") && !detail.contains("<img") && detail.contains("timeout &lt;after&gt; 5s"))
    }

    @Test("the page loads nothing from elsewhere")
    func selfContained() {
        let html = StatusPage.render(Self.snapshot())
        for forbidden in ["<script", "<link", "<iframe", "src=\"", "url(", "@import"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(html.contains("<meta name=\"viewport\""))
    }

    @Test("each check has its state, reason, 90-bucket bar and sparkline")
    func checkRows() {
        let html = StatusPage.render(Self.snapshot())
        // 2 checks × 89 green buckets, and the one amber bucket of each.
        #expect(html.components(separatedBy: "h3v22h-3z").count - 1 == 180)
        #expect(html.contains("<path class=\"b2\" d=\"M320 0h3v22h-3z\"/>"))
        #expect(html.contains("<path class=\"line\" d=\"M0 "))
        #expect(html.contains("99.44%"))
        #expect(html.contains("85 ms"))
        #expect(html.contains("1 firing"))
        // The failing check is listed first.
        let down = html.range(of: "pill down\">down")!.lowerBound
        let up = html.range(of: "href=\"/checks/api-health\"")!.lowerBound
        #expect(down < up)
    }

    @Test("the check page lists its outages with how long they lasted and why")
    func outages() {
        let detail = StatusPage.renderCheck(Self.snapshot().checks[1], snapshot: Self.snapshot())
        #expect(detail.contains("Outages <span class=\"muted small\">(last 1d: 3)</span>"))
        #expect(detail.contains("ongoing, 1m<div class=\"muted small\">4 failed probes</div></td><td class=\"small\">timeout &lt;after&gt; 5s</td>"))
        #expect(detail.contains(">10m<div class=\"muted small\">1 failed probe</div></td><td class=\"small\">status 503</td>"))
        #expect(detail.contains("before the window</td><td class=\"nw\">–<div class=\"muted small\">9 failed probes</div></td><td class=\"small\"><span class=\"muted\">not kept</span>"))
        let healthy = StatusPage.renderCheck(Self.snapshot().checks[0], snapshot: Self.snapshot())
        #expect(healthy.contains("Outages <span class=\"muted small\">(last 1d: 0)</span></h2><p class=\"muted\">None.</p>"))
    }

    /// The latency chart plots one average per bar (16 minutes), so it must not claim to show single probes.
    @Test func latencyChartSaysWhatItAverages() {
        let detail = StatusPage.renderCheck(Self.snapshot().checks[0], snapshot: Self.snapshot())
        #expect(detail.contains("(average per 16m, last 1d, 80 ms–120 ms)"))
        #expect(!detail.contains("probes,"))
        #expect(detail.contains("<td class=\"hide-sm\">200</td>"))
    }

    /// Every alert's "Source" link is Prometheus' `/graph?g0.expr=…&g0.tab=1`: it must lead somewhere.
    @Test("/graph shows an alert's expression and its current value")
    func graph() async throws {
        try await withServer(try Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            let page = try await client.get("/graph?g0.expr=up%7Bjob%3D%22api%22%7D+%3D%3D+0&g0.tab=1")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.body.contains("up{job=&quot;api&quot;} == 0"))
            #expect(page.body.contains("<span>instance=127.0.0.1:8001</span>") && !page.body.contains("127.0.0.1:8000"))
            #expect(page.body.contains("/api/v1/query?query=up%7Bjob%3D%22api%22%7D%20%3D%3D%200"))
            let bad = try await client.get("/graph?g0.expr=%3Cscript%3E%7B")
            #expect(bad.status == 400)
            #expect(bad.body.contains("parse error") && !bad.body.contains("<script>"))
            #expect(try await client.get("/graph").status == 400)
        }
    }

    /// Anyone who can open the status page can open /graph with any expression: an expensive one
    /// is answered with a timeout and its evaluation cancelled, as /api/v1/query does.
    @Test("/graph gives up on a slow expression and cancels it")
    func graphTimesOut() async throws {
        let (seen, report) = AsyncStream.makeStream(of: Bool.self)
        var deps = try Fixtures.dependencies()
        deps.expressionPageTimeout = .milliseconds(50)
        deps.instantQuery = { _, _, _ in
            // Busy work only cancellation ends early; bounded by a clock, not a sleep.
            let giveUp = ContinuousClock.now + .seconds(20)
            while !Task.isCancelled && ContinuousClock.now < giveUp {}
            report.yield(Task.isCancelled)
            report.finish()
            return .vector([])
        }
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let page = try await client.get("/graph?g0.expr=up")
            #expect(page.status == 400)
            #expect(page.body.contains("query timed out"))
        }
        var cancelled = false
        for await value in seen { cancelled = value }
        #expect(cancelled)
    }

    @Test("served at / and /checks/NAME with a Content-Security-Policy")
    func served() async throws {
        var deps = try Fixtures.dependencies()
        deps.status = { StatusPageTests.snapshot() }
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let page = try await client.get("/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.header("Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
            #expect(page.header("X-Content-Type-Options") == "nosniff")
            let detail = try await client.get("/checks/api-health")
            #expect(detail.status == 200)
            #expect(detail.body.components(separatedBy: "<rect ").count - 1 == 90)
            #expect(detail.body.contains("<title>2023-11-14 22:13:20 UTC: 100% of 16</title>") || detail.body.contains(": 100% of 16</title>"))
            let encodedName = HTML.pathSegment(StatusPageTests.hostile)
            let hostile = try await client.get("/checks/\(encodedName)")
            #expect(hostile.status == 200)
            #expect(hostile.body.contains("failed"))
            let missing = try await client.get("/checks/%3Cnope%3E")
            #expect(missing.status == 404)
            #expect(missing.body.contains("&lt;nope&gt;"))
        }
    }
}
