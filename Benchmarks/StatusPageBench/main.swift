// Renders the status page for 200 checks (90-bucket uptime bars, 60-point latency lines,
// 100 history entries each) plus targets, alerts, silences and notifications, and prints the
// median and worst render time. The contract: under 50 ms.
//
//     swift run -c release StatusPageBench [checks]
//     swift run StatusPageBench --serve PORT     # serves a demo snapshot, for screenshots
import Logging
import Model
import Server

#if canImport(Glibc)
import Glibc
#endif

func nowNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func snapshot(checks count: Int) -> StatusSnapshot {
    let now: Timestamp = 1_700_000_000_000
    var generator = SystemRandomNumberGenerator()
    let checks = (0..<count).map { index -> CheckStatus in
        let buckets = (0..<90).map { b in
            CheckStatus.Bucket(start: now - Int64(90 - b) * 960_000, total: 32,
                               successes: Int.random(in: 0...100, using: &generator) < 97 ? 32 : 20)
        }
        let latencies: [Double?] = (0..<60).map { _ in
            Int.random(in: 0...50, using: &generator) == 0 ? nil : Double.random(in: 0.02...0.4, using: &generator)
        }
        let history = (0..<100).map { (i: Int) -> CheckStatus.Event in
            let time: Timestamp = now - Int64(i) * 30_000
            let failed: Bool = i % 17 == 0
            return CheckStatus.Event(time: time, success: !failed, seconds: 0.1, statusCode: 200,
                                     reason: failed ? "status 503 <Service Unavailable>" : "")
        }
        return CheckStatus(name: "check-\(index) <svc>", target: "https://svc\(index).example.com/health?x=1&y=2",
                           up: index % 20 != 0, reason: index % 20 == 0 ? "connection refused \"x\"" : "",
                           lastCheck: now - 3000, latencySeconds: 0.123, since: now - 3_600_000, uptimeRatio: 0.9987,
                           buckets: buckets, latencies: latencies, history: history)
    }
    let targets = (0..<50).map { i in
        TargetInfo(labels: ["job": "job\(i % 5)", "instance": "10.0.0.\(i):9100"], scrapeURL: "http://10.0.0.\(i):9100/metrics",
                   health: i % 10 == 0 ? .down : .up, lastError: i % 10 == 0 ? "context deadline exceeded" : "",
                   lastScrape: now - 4000, lastScrapeSeconds: 0.012, intervalMilliseconds: 15_000, timeoutMilliseconds: 10_000)
    }
    let alerts = (0..<20).map { (i: Int) -> Alert in
        let severity: String = i % 2 == 0 ? "critical" : "warning"
        let labels: Labels = ["alertname": "Alert\(i)", "severity": severity, "instance": "host\(i)"]
        let state: AlertState = i % 3 == 0 ? .pending : .firing
        let activeAt: Timestamp = now - Int64(i) * 60_000
        return Alert(labels: labels, annotations: ["summary": "Something <bad> on host\(i)"], state: state, value: 1, activeAt: activeAt)
    }
    let notifications = (0..<50).map { (i: Int) -> NotificationInfo in
        let time: Timestamp = now - Int64(i) * 60_000
        let failed: Bool = i % 7 == 0
        return NotificationInfo(time: time, channel: "team-slack", summary: "[FIRING:\(i)] Alert\(i)",
                                result: failed ? .failed : .sent, detail: failed ? "HTTP 500: oops" : "")
    }
    return StatusSnapshot(generatedAt: now, version: "bench", checks: checks, targets: targets, alerts: alerts,
                          notifications: notifications, queue: QueueInfo(length: 3, oldest: now - 120_000))
}

if CommandLine.arguments.count > 2, CommandLine.arguments[1] == "--serve" {
    var deps = ServerDependencies()
    let now: Timestamp = 1_700_000_000_000
    deps.status = { DemoData.snapshot(now: now) }
    let server = try APIServer(dependencies: deps, listen: "127.0.0.1:\(CommandLine.arguments[2])", logger: Logger(label: "demo"))
    try await server.run()
    exit(0)
}

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200 : 200
let data = snapshot(checks: count)
var bytes = 0
for _ in 0..<5 { bytes = StatusPage.render(data).utf8.count }   // warm up
var samples: [Double] = []
for _ in 0..<50 {
    let start = nowNanoseconds()
    bytes = StatusPage.render(data).utf8.count
    samples.append(Double(nowNanoseconds() - start) / 1e6)
}
samples.sort()
let detailStart = nowNanoseconds()
let detailBytes = StatusPage.renderCheck(data.checks[0], snapshot: data).utf8.count
let detailMs = Double(nowNanoseconds() - detailStart) / 1e6
print("status page, \(count) checks: median \(samples[samples.count / 2]) ms, worst \(samples.last!) ms, \(bytes) bytes (50 runs)")
print("check page, 100 history rows: \(detailMs) ms, \(detailBytes) bytes")
print(samples[samples.count / 2] < 50 ? "PASS: under 50 ms" : "FAIL: 50 ms budget exceeded")
