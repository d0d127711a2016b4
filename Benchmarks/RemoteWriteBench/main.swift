import Config
import Curl
import Exposition
import Forward
import Foundation
import Logging
import Model

// Remote-write throughput and wire size, Lookout against Prometheus 2.42 on the same targets.
//   swift run -c release RemoteWriteBench [--targets N] [--rounds R] [--prometheus-seconds S] [--no-prometheus]
//
// Lookout: the payload of `fake_target.py --dump --series 1000` (the same generator the
// Prometheus run scrapes), as N targets (job/instance added), R scrape rounds with evolving
// values, appended to a real `RemoteWriter` (SQLite backlog, snappy, protobuf, libcurl) that
// posts to a loopback sink (`Tests/TestSupport/remote_write_receiver.py --count-only`, which
// decompresses and counts every sample). CPU is this process's user+sys (getrusage) from the first
// append to the sink having counted every sample: encode + compress + backlog + send.
//
// Prometheus: `fake_target.py` serving N targets, two Prometheus 2.42 scraping them every second
// side by side, one with remote_write to its own sink and one without. Wire bytes per sample come
// from the sink; CPU per sent sample is the difference of the two processes' CPU (/proc) over the
// same window divided by the samples the sink counted — remote write's cost cannot be isolated
// inside one Prometheus, so this difference is the honest estimate, noise included.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let targets = option("--targets", 20)
let rounds = option("--rounds", 50)
let prometheusSeconds = option("--prometheus-seconds", 30)
let runPrometheus = !arguments.contains("--no-prometheus")
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let repo = here.deletingLastPathComponent().deletingLastPathComponent()
let fakeTarget = here.appendingPathComponent("fake_target.py").path
let sinkScript = repo.appendingPathComponent("Tests/TestSupport/remote_write_receiver.py").path

func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func wallSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

/// Runs `python3 script args` and returns it with the port it announced on its first line.
func launch(_ arguments: [String]) throws -> (Process, Int?) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = Pipe()
    process.standardError = FileHandle.nullDevice
    try process.run()
    guard arguments.contains(sinkScript) else { return (process, nil) }
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
    }
    let text = String(decoding: line, as: UTF8.self)
    return (process, Int(text.dropFirst(5).prefix { $0.isNumber }))
}

/// Ends a helper process. `Process.waitUntilExit()` can hang here (its run loop misses the exit),
/// so the child is killed and reaped directly.
func stop(_ process: Process) {
    let pid = process.processIdentifier
    kill(pid, SIGKILL)
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
}

struct SinkStats: Decodable {
    var accepted: Int
    var wire_bytes: Int
    var raw_bytes: Int
    var series: Int
    var samples: Int
}

let statsLoop = try CurlLoop()

func sinkStats(_ port: Int) async -> SinkStats? {
    guard let response = try? await statsLoop.perform(HTTPRequest(url: "http://127.0.0.1:\(port)/_stats")) else { return nil }
    return try? JSONDecoder().decode(SinkStats.self, from: Data(response.body))
}

func payload() throws -> [(Labels, Double)] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", fakeTarget, "--dump", "--series", "1000"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var parser = ExpositionParser(String(decoding: data, as: UTF8.self), format: .prometheusText)
    return try parser.parseAll().map { ($0.labels, $0.value) }
}

// MARK: Lookout

struct LookoutResult {
    var samples: Int
    var cpu: Double
    var wall: Double
    var wireBytes: Int
    var rawBytes: Int
}

func runLookout(base: [(Labels, Double)], maxSamplesPerSend: Int, shards: Int) async throws -> LookoutResult {
    let (sink, port) = try launch(["python3", sinkScript, "--count-only"])
    defer { stop(sink) }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rwbench-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let loop = try CurlLoop()
    let writer = RemoteWriter(dataDirectory: directory, loop: loop, userAgent: "Lookout/bench",
                              logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
    let config = RemoteWriteConfig(
        url: "http://127.0.0.1:\(port!)/api/v1/write", headers: [:], writeRelabelConfigs: [],
        queue: RemoteWriteQueue(maxSamplesPerSend: maxSamplesPerSend, shards: shards, maxBacklogAge: 86_400_000, maxBacklogBytes: 1 << 30),
        position: SourcePosition(file: "bench", line: 1, column: 1))
    try await writer.update([config], externalLabels: Labels())
    let task = Task { await writer.run() }
    // Targets' label sets, built before timing: a scrape hands these to the store in any case.
    let perTarget: [[Labels]] = (0..<targets).map { t in
        base.map { $0.0.setting("job", to: "fake").setting("instance", to: "127.0.0.1:\(19_100 + t)") }
    }
    let start = nowMilliseconds() - Int64(rounds) * 1000
    let total = targets * rounds * base.count
    let cpu0 = processCPUSeconds(), wall0 = wallSeconds()
    for round in 0..<rounds {
        let timestamp = start + Int64(round) * 1000
        for t in 0..<targets {
            var batch: [LabeledSample] = []
            batch.reserveCapacity(base.count)
            for (i, labels) in perTarget[t].enumerated() {
                // Counters and gauges move a little every round, as on the real target.
                let value = base[i].1 + Double((round * (i % 7 + 1) + t) % 97)
                batch.append(LabeledSample(labels, Sample(timestamp, value)))
            }
            writer.append(batch)
        }
        // Scrapes come at intervals: do not let the in-memory buffer run past its limit.
        while (writer.status().first?.samplesPending ?? 0) > 100_000 { try await Task.sleep(for: .milliseconds(1)) }
    }
    while await (sinkStats(port!)?.samples ?? 0) < total { try await Task.sleep(for: .milliseconds(5)) }
    let cpu = processCPUSeconds() - cpu0, wall = wallSeconds() - wall0
    let stats = await sinkStats(port!)!
    task.cancel()
    await task.value
    loop.shutdown()
    return LookoutResult(samples: stats.samples, cpu: cpu, wall: wall, wireBytes: stats.wire_bytes, rawBytes: stats.raw_bytes)
}

// MARK: Prometheus

struct PrometheusResult {
    var samples: Int
    var wireBytes: Int
    var rawBytes: Int
    var requests: Int
    var cpuWith: Double
    var cpuWithout: Double
}

func procCPUSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command.
    return (Double(fields[11]) ?? 0) / 100 + (Double(fields[12]) ?? 0) / 100
}

func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

func startPrometheus(directory: String, name: String, targetList: String, remoteWrite: String?) throws -> (Process, Int) {
    let port = freePort()
    var config = """
        global: {scrape_interval: 1s, scrape_timeout: 1s}
        scrape_configs:
          - job_name: fake
            static_configs: [{targets: [\(targetList)]}]

        """
    if let remoteWrite { config += "remote_write:\n  - url: \(remoteWrite)\n" }
    let configPath = "\(directory)/\(name).yml"
    try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
    process.arguments = ["--config.file=\(configPath)", "--storage.tsdb.path=\(directory)/\(name)-data",
                         "--web.listen-address=127.0.0.1:\(port)"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return (process, port)
}

func runPrometheusComparison() async throws -> PrometheusResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rwbench-prom-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let firstPort = 19_100 + Int.random(in: 0..<800) * 10
    let (targetsProcess, _) = try launch(["python3", fakeTarget, "--ports", "\(firstPort)-\(firstPort + targets - 1)", "--series", "1000"])
    let (sink, sinkPort) = try launch(["python3", sinkScript, "--count-only"])
    let targetList = (0..<targets).map { "'127.0.0.1:\(firstPort + $0)'" }.joined(separator: ", ")
    let (with, _) = try startPrometheus(directory: directory, name: "with", targetList: targetList,
                                        remoteWrite: "http://127.0.0.1:\(sinkPort!)/api/v1/write")
    let (without, _) = try startPrometheus(directory: directory, name: "without", targetList: targetList, remoteWrite: nil)
    defer {
        for p in [with, without, sink, targetsProcess] { stop(p) }
    }
    try await Task.sleep(for: .seconds(10))   // start-up, first scrapes, remote write shards settled
    let s0 = await sinkStats(sinkPort!)!, a0 = procCPUSeconds(with.processIdentifier), b0 = procCPUSeconds(without.processIdentifier)
    try await Task.sleep(for: .seconds(prometheusSeconds))
    let s1 = await sinkStats(sinkPort!)!, a1 = procCPUSeconds(with.processIdentifier), b1 = procCPUSeconds(without.processIdentifier)
    return PrometheusResult(samples: s1.samples - s0.samples, wireBytes: s1.wire_bytes - s0.wire_bytes,
                            rawBytes: s1.raw_bytes - s0.raw_bytes, requests: s1.accepted - s0.accepted,
                            cpuWith: a1 - a0, cpuWithout: b1 - b0)
}

// MARK: Report

/// Unbuffered, so a long run shows each figure as soon as it is measured.
func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

let base = try payload()
report("payload: fake_target.py --series 1000 → \(base.count) samples per target; \(targets) targets")
for (perSend, shards) in [(2000, 1), (500, 4)] {
    let r = try await runLookout(base: base, maxSamplesPerSend: perSend, shards: shards)
    report("Lookout     max_samples_per_send \(perSend), shards \(shards): \(r.samples) samples, "
          + "CPU \(f(r.cpu)) s (wall \(f(r.wall)) s): \(f(Double(r.samples) / r.cpu / 1e6, 2)) M samples/s per core, "
          + "\(f(r.cpu / Double(r.samples) * 1e9, 0)) ns CPU/sample; wire \(f(Double(r.wireBytes) / Double(r.samples))) B/sample "
          + "(uncompressed \(f(Double(r.rawBytes) / Double(r.samples))) B/sample)")
}
if runPrometheus {
    let p = try await runPrometheusComparison()
    let extra = p.cpuWith - p.cpuWithout
    report("Prometheus  2.42 defaults, \(prometheusSeconds) s window: \(p.samples) samples in \(p.requests) requests "
          + "(\(p.samples / max(p.requests, 1)) per request); wire \(f(Double(p.wireBytes) / Double(max(p.samples, 1)))) B/sample "
          + "(uncompressed \(f(Double(p.rawBytes) / Double(max(p.samples, 1)))) B/sample)")
    report("Prometheus  CPU with remote write \(f(p.cpuWith)) s, without \(f(p.cpuWithout)) s: difference \(f(extra)) s "
          + "= \(f(extra / Double(max(p.samples, 1)) * 1e9, 0)) ns CPU/sample sent "
          + "(\(extra > 0 ? f(Double(p.samples) / extra / 1e6, 2) + " M samples/s per core" : "below the noise"))")
}
