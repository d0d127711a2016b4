// NotifyBench: 1,000 single-alert groups delivered to a local webhook receiver through the
// durable SQLite outbox; wall time and CPU per notification. With Alertmanager 0.25 installed,
// the same workload through it, in the same run. `swift run -c release NotifyBench`.
import Channels
import Curl
import Foundation
import Logging
import Model
import Notify

let count = 1000
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// utime + stime of another process from /proc, in seconds.
func cpuSeconds(pid: Int32) -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
    return (Double(fields[11])! + Double(fields[12])!) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func startProcess(_ executable: String, _ arguments: [String], announce: Bool) throws -> (Process, Int) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    process.standardInput = Pipe()
    try process.run()
    guard announce else { return (process, 0) }
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
    return (process, Int(text.dropFirst(5).prefix { $0.isNumber }) ?? 0)
}

func accepted(_ loop: CurlLoop, port: Int) async -> Int {
    guard let r = try? await loop.perform(Curl.HTTPRequest(url: "http://127.0.0.1:\(port)/_count")) else { return -1 }
    return Int(String(decoding: r.body, as: UTF8.self)) ?? -1
}

func waitFor(_ loop: CurlLoop, port: Int, total: Int) async {
    while await accepted(loop, port: port) < total { try? await Task.sleep(for: .milliseconds(5)) }
}

func alerts(_ now: Timestamp) -> [Alert] {
    (0..<count).map { i in
        Alert(labels: ["alertname": "Bench\(i)", "severity": "warning", "instance": "host-\(i % 10)"],
              annotations: ["summary": "benchmark alert \(i)"], state: .firing, value: Double(i),
              activeAt: now - 60_000, firedAt: now - 60_000)
    }
}

func runLookout(loop: CurlLoop, receiverPort: Int) async throws -> (wall: Double, cpu: Double) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("notifybench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    let channels: [String: ChannelSpec] = ["hook": .webhook(WebhookSpec(url: "http://127.0.0.1:\(receiverPort)/hook"))]
    let settings = NotifySettings(route: RouteSpec(channels: ["hook"], groupBy: ["alertname"], groupWait: 0,
                                                   groupInterval: 300_000, repeatInterval: 14_400_000),
                                  channels: channels)
    let transport = CurlTransport(loop: loop)
    let factory = ChannelFactory(http: transport, smtp: transport, logger: logger)
    let notifier = try Notifier(settings: settings, channels: factory.makeAll(channels), databasePath: dir + "/lookout.db",
                                logger: logger)
    let task = Task { await notifier.run() }
    let batch = alerts(Notifier.wallClock())
    let cpu0 = cpuSeconds()
    let start = ContinuousClock.now
    await notifier.receive(alerts: batch)
    // Polled rarely: a metrics snapshot reads the queue from SQLite.
    while await (notifier.metrics().notificationsTotal["hook"]?["delivered"] ?? 0) < count {
        try? await Task.sleep(for: .milliseconds(10))
    }
    let wall = ContinuousClock.now - start
    let cpu = cpuSeconds() - cpu0
    task.cancel()
    await task.value
    await waitFor(loop, port: receiverPort, total: count)
    return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, cpu)
}

func runAlertmanager(loop: CurlLoop, receiverPort: Int) async throws -> (wall: Double, cpu: Double)? {
    let binary = "/usr/bin/prometheus-alertmanager"
    guard FileManager.default.isExecutableFile(atPath: binary) else { return nil }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ambench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let config = """
        route: {receiver: hook, group_by: [alertname], group_wait: 0s, group_interval: 5m, repeat_interval: 4h}
        receivers: [{name: hook, webhook_configs: [{url: "http://127.0.0.1:\(receiverPort)/hook", send_resolved: true}]}]
        """
    try config.write(toFile: dir + "/am.yml", atomically: true, encoding: .utf8)
    let port = 19_093
    let (process, _) = try startProcess(binary, ["--config.file=\(dir)/am.yml", "--storage.path=\(dir)",
                                                 "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
                                                 "--log.level=error"], announce: false)
    defer { process.terminate(); process.waitUntilExit() }
    while (try? await loop.perform(Curl.HTTPRequest(url: "http://127.0.0.1:\(port)/-/ready")))?.status != 200 {
        try? await Task.sleep(for: .milliseconds(50))
    }
    let now = Date()
    let iso = ISO8601DateFormatter()
    let body = (0..<count).map { i in
        #"{"labels":{"alertname":"Bench\#(i)","severity":"warning","instance":"host-\#(i % 10)"},"annotations":{"summary":"benchmark alert \#(i)"},"startsAt":"\#(iso.string(from: now.addingTimeInterval(-60)))"}"#
    }.joined(separator: ",")
    var post = Curl.HTTPRequest(url: "http://127.0.0.1:\(port)/api/v2/alerts")
    post.method = "POST"
    post.headers = [(name: "Content-Type", value: "application/json")]
    post.body = Array("[\(body)]".utf8)
    let before = await accepted(loop, port: receiverPort)
    let cpu0 = cpuSeconds(pid: process.processIdentifier)
    let start = ContinuousClock.now
    _ = try await loop.perform(post)
    await waitFor(loop, port: receiverPort, total: before + count)
    let wall = ContinuousClock.now - start
    let cpu = cpuSeconds(pid: process.processIdentifier) - cpu0
    return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, cpu)
}

let loop = try CurlLoop()
let (receiver, receiverPort) = try startProcess("/usr/bin/env", ["python3", "-u", root.path + "/Tests/TestSupport/notify_receiver.py"],
                                                announce: true)
defer { receiver.terminate() }
print("NotifyBench: \(count) single-alert groups → local webhook receiver (Python), durable SQLite outbox")
let lookout = try await runLookout(loop: loop, receiverPort: receiverPort)
print(String(format: "lookout:      wall %.3f s, CPU %.3f s = %.3f ms CPU/notification, %.0f notifications/s",
             lookout.wall, lookout.cpu, lookout.cpu * 1000 / Double(count), Double(count) / lookout.wall))
if let am = try await runAlertmanager(loop: loop, receiverPort: receiverPort) {
    print(String(format: "alertmanager: wall %.3f s, CPU %.3f s = %.3f ms CPU/notification (0.25, same receiver)",
                 am.wall, am.cpu, am.cpu * 1000 / Double(count)))
} else {
    print("alertmanager: not installed, skipped")
}
