// StorageBench: figures for the SQLite TSDB on the reference workload.
//
//   swift run -c release StorageBench [--series 1000] [--hours 24] [--input FILE] [--dir DIR]
//   StorageBench crash-child DB FIRST_BATCH     (used by the crash tests: appends until killed)
//   StorageBench prune-child DB NOW RETENTION   (used by the crash tests: one retention pass with its prune)
//   swift run -c release StorageBench --prune [--series 100000]   (cost of pruning churned series)
//   swift run -c release StorageBench --churn [--series 100000] [--rounds 10]   (RSS under label churn)
import Foundation
import Model
import SQLite
import Storage

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "crash-child" {
    try CrashChild.run(path: arguments[1], first: Int(arguments[2]) ?? 0)
    exit(0)
}
if arguments.first == "prune-child" {
    try PruneChild.run(path: arguments[1], now: Int64(arguments[2])!, retention: Int64(arguments[3])!)
    exit(0)
}

func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}
let seriesCount = Int(option("--series", "1000"))!
let hours = Double(option("--hours", "24"))!
let workDir = option("--dir", NSTemporaryDirectory() + "storagebench-\(getpid())")
let input = option("--input", "/tmp/lookout-om-\(seriesCount)s-\(Int(hours))h.txt")
try? FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
defer { if !arguments.contains("--keep") { try? FileManager.default.removeItem(atPath: workDir) } }

if arguments.contains("--prune") {
    try PruneBench.run(dir: workDir, series: Int(option("--series", "100000"))!)
    try? FileManager.default.removeItem(atPath: workDir)
    exit(0)
}

if arguments.contains("--churn") {
    try ChurnBench.run(dir: workDir, series: Int(option("--series", "100000"))!, rounds: Int(option("--rounds", "10"))!)
    try? FileManager.default.removeItem(atPath: workDir)
    exit(0)
}

if arguments.contains("--head-cache-only") {
    try HeadCacheRSSBench.run(dir: workDir)
    try? FileManager.default.removeItem(atPath: workDir)
    exit(0)
}

if !arguments.contains("--skip-rss") {
    print("== RSS per active series (synthetic label sets, before loading the workload)")
    try RSSBench.run(dir: workDir)
    try HeadCacheRSSBench.run(dir: workDir)
}

if !FileManager.default.fileExists(atPath: input) {
    let generator = "/work/shared/bench/gen_openmetrics.py"
    print("generating \(input) with \(generator) --series \(seriesCount) --step 15 --hours \(hours) --jitter-ms 7 --jitter-frac 0.015")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [generator, "--series", "\(seriesCount)", "--step", "15", "--hours", "\(hours)",
                         "--jitter-ms", "7", "--jitter-frac", "0.015", "--start", "2026-11-20T00:00:00Z", "--out", input]
    try process.run()
    process.waitUntilExit()
}
var t0 = now()
let history = try History.load(input)
print("== workload \(input): \(history.labels.count) series, \(history.total) samples, loaded in \(fmt(now() - t0, 1)) s")
try IngestBench.run(history, dir: workDir)
