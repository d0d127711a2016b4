import Model
import Server
import TestSupport


enum DemoData {
    static func check(_ name: String, _ target: String, up: Bool, reason: String = "", failRate: Int, latency: Double,
                      now: Timestamp, rng: inout SplitMix) -> CheckStatus {
        let buckets = (0..<90).map { (b: Int) -> CheckStatus.Bucket in
            let bad = Int.random(in: 0..<100, using: &rng) < failRate
            let successes = bad ? Int.random(in: 0...31, using: &rng) : 32
            return CheckStatus.Bucket(start: now - Int64(90 - b) * 960_000, total: 32, successes: b == 89 && !up ? 10 : successes)
        }
        let latencies = (0..<60).map { (i: Int) -> Double? in
            if !up && i >= 57 { return nil }
            return latency * Double.random(in: 0.7...1.6, using: &rng)
        }
        let history = (0..<40).map { (i: Int) -> CheckStatus.Event in
            let failed = !up && i < 3
            let time: Timestamp = now - Int64(i) * 30_000
            return CheckStatus.Event(time: time, success: !failed, seconds: failed ? 5 : latency, statusCode: failed ? 503 : 200,
                                     reason: failed ? reason : "")
        }
        let total = buckets.reduce(0) { $0 + $1.total }
        let ok = buckets.reduce(0) { $0 + $1.successes }
        return CheckStatus(name: name, target: target, up: up, reason: reason, lastCheck: now - 4000,
                           latencySeconds: up ? latency : 5, since: now - (up ? 86_400_000 * 3 : 95_000),
                           uptimeRatio: Double(ok) / Double(total), buckets: buckets, latencies: latencies, history: history)
    }

    /// What a small team's status page looks like: eight checks, one down, a few targets and alerts.
    static func snapshot(now: Timestamp) -> StatusSnapshot {
        var rng = SplitMix(state: 42)
        let checks = [
            check("api-health", "https://api.example.com/health", up: true, failRate: 2, latency: 0.085, now: now, rng: &rng),
            check("payments-api", "https://payments.example.com/health", up: false,
                  reason: "HTTP 503: body does not contain \"healthy\"", failRate: 6, latency: 0.21, now: now, rng: &rng),
            check("web-frontend", "https://www.example.com/", up: true, failRate: 0, latency: 0.14, now: now, rng: &rng),
            check("websocket-port", "tcp api.example.com:443", up: true, failRate: 1, latency: 0.012, now: now, rng: &rng),
            check("auth-service", "https://auth.example.com/healthz", up: true, failRate: 0, latency: 0.05, now: now, rng: &rng),
            check("cdn-assets", "https://cdn.example.com/ping", up: true, failRate: 3, latency: 0.03, now: now, rng: &rng),
        ]
        let targets = [
            TargetInfo(labels: ["job": "api", "instance": "127.0.0.1:8000"], scrapeURL: "http://127.0.0.1:8000/metrics",
                       health: .up, lastScrape: now - 6000, lastScrapeSeconds: 0.004, intervalMilliseconds: 15_000, timeoutMilliseconds: 10_000),
            TargetInfo(labels: ["job": "api", "instance": "127.0.0.1:8001"], scrapeURL: "http://127.0.0.1:8001/metrics",
                       health: .down, lastError: "connect to 127.0.0.1:8001 failed: Connection refused", lastScrape: now - 6000,
                       lastScrapeSeconds: 0.001, intervalMilliseconds: 15_000, timeoutMilliseconds: 10_000),
            TargetInfo(labels: ["job": "lookout", "instance": "127.0.0.1:9464"], scrapeURL: "http://127.0.0.1:9464/metrics",
                       health: .up, lastScrape: now - 2000, lastScrapeSeconds: 0.002, intervalMilliseconds: 15_000, timeoutMilliseconds: 10_000),
        ]
        let alerts = [
            Alert(labels: ["alertname": "ApiDown", "check": "payments-api", "severity": "critical"],
                  annotations: ["summary": "payments-api is failing: HTTP 503"], state: .pending, value: 0, activeAt: now - 95_000),
            Alert(labels: ["alertname": "TargetDown", "instance": "127.0.0.1:8001", "job": "api", "severity": "warning"],
                  annotations: ["summary": "Scrape target 127.0.0.1:8001 is down"], state: .firing, value: 0,
                  activeAt: now - 1_500_000, firedAt: now - 1_200_000),
        ]
        let silences = [Silence(id: "4b1c", matchers: [try! Matcher("alertname", .equal, "HighDailyCost")],
                                startsAt: now - 3_600_000, endsAt: now + 7_200_000, createdBy: "ops@example.com",
                                comment: "Budget raised for the launch", updatedAt: now - 3_600_000)]
        let notifications = [
            NotificationInfo(time: now - 1_190_000, channel: "team-slack", summary: "[FIRING:1] TargetDown api (warning)", result: .sent),
            NotificationInfo(time: now - 1_190_000, channel: "ops-email", summary: "[FIRING:1] TargetDown api (warning)", result: .retrying,
                             detail: "SMTP 451 4.7.0 try again later"),
            NotificationInfo(time: now - 86_000_000, channel: "pager", summary: "[RESOLVED] ApiDown api-health (critical)", result: .sent),
        ]
        return StatusSnapshot(generatedAt: now, version: "0.1.0", checks: checks, targets: targets, alerts: alerts,
                              silences: silences, notifications: notifications, queue: QueueInfo(length: 1, oldest: now - 1_190_000))
    }
}
