import Exposition
import Foundation
import Model

// Parser throughput: MB/s and samples/s with every sample's labels decoded into `Labels`,
// compared with Python prometheus_client's parser on the same bytes (`pip install prometheus_client`)
// and, with --prometheus, with Prometheus' own parser (model/textparse of Prometheus 2.42, Go; built
// by prom_parse_bench.sh, which fetches the Debian source the first time: Go and network needed).
//   swift run -c release ParserBench [--seconds S] [--only NAME] [--no-python] [--prometheus] [--runs N]
//                                    [--file PATH] [--cold-only] [--steady-only] [--all-entries]
//   swift run -c release ParserBench --dump-node-exporter PATH   (writes the node_exporter payload, then exits)
// Payloads: a generated ~1 MB node_exporter-like text payload, and `fake_target.py --dump` output
// (1,000 and 10,000 series, text 0.0.4 and OpenMetrics). Best run of CPU (thread) time.
//
// "steady" is what the daemon pays per scrape: every scrape after a target's first reuses the
// `SeriesCache` that `ScrapeAssembler` keeps for that target across scrapes, so a series whose
// bytes did not change is recognised, not decoded again (its `Labels` come from the cache; the
// value and timestamp are still parsed). "cold" is a fresh parser, every label decoded: the first
// scrape of a target, or a one-off parse. The byte-loop reference says how fast this machine is.
// Both take samples only, as the scrape loop does: HELP, TYPE and UNIT lines are checked but not
// returned (Prometheus' parser, measured with --prometheus, is not asked for them either);
// --all-entries returns them too, with their text decoded.

struct Payload {
    let name: String
    let bytes: [UInt8]
    let format: ExpositionFormat
}

/// CPU time of this thread: on a machine shared with other builds, wall time mostly measures the
/// neighbours, so both are reported and the best run of each is kept.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func wallSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

struct SwiftMeasurement {
    let samples: Int
    let wall: Double
    let cpu: Double
}

/// Cold: a fresh parser each run, every label decoded. Warm: the `SeriesCache` of the previous
/// parse is passed in, as a scrape loop does for the next scrape of the same target.
func measure(_ payload: Payload, minSeconds: Double, warm: Bool = false) throws -> SwiftMeasurement {
    var cache = SeriesCache()
    var samples = 0
    var runs = 0
    var labelCount = 0
    var bestWall = Double.infinity, bestCPU = Double.infinity
    let deadline = wallSeconds() + minSeconds
    while (wallSeconds() < deadline || runs < 3) && runs < maxRuns {
        let wall = wallSeconds(), cpu = threadCPUSeconds()
        var parser = warm ? ExpositionParser(payload.bytes, format: payload.format, cache: cache)
                          : ExpositionParser(payload.bytes, format: payload.format)
        cache = SeriesCache()
        samples = 0
        if allEntries {
            while let entry = try parser.next() {
                if case let .sample(labels, _, _) = entry {
                    samples += 1
                    labelCount &+= labels.count
                }
            }
        } else {
            while let sample = try parser.nextSample() {
                samples += 1
                labelCount &+= sample.labels.count
            }
        }
        if warm { cache = parser.cache }
        if warm && runs == 0 { runs += 1; continue }   // the first run only fills the cache
        bestWall = min(bestWall, wallSeconds() - wall)
        bestCPU = min(bestCPU, threadCPUSeconds() - cpu)
        runs += 1
    }
    precondition(labelCount > 0)
    return SwiftMeasurement(samples: samples, wall: bestWall, cpu: bestCPU)
}

/// A calibration: MB/s (CPU time) of a plain byte loop with a data-dependent branch per byte, the
/// least any lexer does. It shows how fast this machine is right now, to read the figures against.
func byteLoopReference(_ bytes: [UInt8]) -> Double {
    var best = Double.infinity
    var lines = 0, longest = 0
    for _ in 0..<20 {
        let cpu = threadCPUSeconds()
        var current = 0
        for byte in bytes {
            if byte == 10 { lines &+= 1; longest = max(longest, current); current = 0 } else { current &+= 1 }
        }
        best = min(best, threadCPUSeconds() - cpu)
    }
    precondition(lines > 0 && longest > 0)
    return Double(bytes.count) / best / 1e6
}

func fakeTarget(_ format: String, series: Int) throws -> [UInt8] {
    Array(try run("/usr/bin/env", ["python3", "/work/shared/bench/fake_target.py", "--dump",
                                   "--series", String(series), "--format", format]))
}

let arguments = CommandLine.arguments
if let dumpIndex = arguments.firstIndex(of: "--dump-node-exporter") {
    // Writes the generated node_exporter payload to a file (e.g. to parse it under valgrind with --file).
    try Data(NodeExporterPayload.generate()).write(to: URL(fileURLWithPath: arguments[dumpIndex + 1]))
    exit(0)
}
let minSeconds = arguments.firstIndex(of: "--seconds").flatMap { Double(arguments[$0 + 1]) } ?? 1.0
let benchDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let script = benchDirectory.appendingPathComponent("python_parse_bench.py").path

var payloads: [Payload] = []
if let fileIndex = arguments.firstIndex(of: "--file") {
    // One payload from a file (`.om`: OpenMetrics), e.g. under valgrind, where spawning python is slow.
    let path = arguments[fileIndex + 1]
    payloads.append(Payload(name: URL(fileURLWithPath: path).lastPathComponent, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))),
                            format: path.hasSuffix(".om") ? .openMetrics : .prometheusText))
} else {
    payloads.append(Payload(name: "node_exporter-1MB.prom", bytes: NodeExporterPayload.generate(), format: .prometheusText))
    for series in [1000, 10000] {
        do {
            payloads.append(Payload(name: "fake_target-\(series).prom", bytes: try fakeTarget("text", series: series), format: .prometheusText))
            payloads.append(Payload(name: "fake_target-\(series).om", bytes: try fakeTarget("openmetrics", series: series), format: .openMetrics))
        } catch {
            print("fake_target.py --dump failed (\(error)); skipping its payloads")
        }
    }
}

let maxRuns = arguments.firstIndex(of: "--runs").flatMap { Int(arguments[$0 + 1]) } ?? Int.max
let only = arguments.firstIndex(of: "--only").map { arguments[$0 + 1] }
let withPython = !arguments.contains("--no-python")
/// Measures only the cold parse (for profiling it alone, e.g. under `perf record`).
let coldOnly = arguments.contains("--cold-only")
/// Whether HELP, TYPE and UNIT entries are returned too (and their text decoded); the scrape loop,
/// whose work this measures, takes samples only.
let allEntries = arguments.contains("--all-entries")
/// Measures only the steady parse (every scrape after a target's first).
let steadyOnly = arguments.contains("--steady-only")
/// The command that times Prometheus' parser, when --prometheus is given and it builds.
let prometheus = arguments.contains("--prometheus")
    ? preparePrometheusHelper(script: benchDirectory.appendingPathComponent("prom_parse_bench.sh").path) : nil

print(String(format: "reference byte loop: %.0f MB/s (cpu)", byteLoopReference(payloads[0].bytes)))
func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
func mb(_ bytes: Int, _ seconds: Double) -> String { String(format: "%.0f", Double(bytes) / seconds / 1e6) }
func rate(_ samples: Int, _ seconds: Double) -> String { String(format: "%.2fM", Double(samples) / seconds / 1e6) }
print("MB/s and samples/s in CPU time; steady = every scrape after the first (cache hit), cold = first scrape; "
      + (allEntries ? "every entry returned, HELP text decoded" : "samples only, as the scrape loop (--all-entries for all)"))
if prometheus != nil {
    print("prom = Prometheus 2.42 model/textparse, every sample's labels decoded (p.Metric); cold/prom = cold MB/s / prom MB/s")
}
print(pad("payload", 25) + pad("bytes", 9) + pad("samples", 8) + pad("steady MB/s", 12) + pad("steady smp/s", 13)
      + pad("cold MB/s", 10) + pad("cold smp/s", 11) + pad("cold wall", 10)
      + (prometheus != nil ? pad("prom MB/s", 10) + pad("prom wall", 10) + pad("cold/prom", 10) : "")
      + pad("python MB/s", 12) + "x python (steady / cold)")
for payload in payloads where only.map({ payload.name.contains($0) }) ?? true {
    let warm = coldOnly ? SwiftMeasurement(samples: 0, wall: .infinity, cpu: .infinity)
                        : try measure(payload, minSeconds: minSeconds, warm: true)
    let cold = steadyOnly ? SwiftMeasurement(samples: warm.samples, wall: .infinity, cpu: .infinity)
                          : try measure(payload, minSeconds: minSeconds)
    var line = pad(payload.name, 25) + pad("\(payload.bytes.count)", 9) + pad("\(warm.samples)", 8)
        + pad(mb(payload.bytes.count, warm.cpu), 12) + pad(rate(warm.samples, warm.cpu), 13)
        + pad(mb(payload.bytes.count, cold.cpu), 10) + pad(rate(cold.samples, cold.cpu), 11)
        + pad(mb(payload.bytes.count, cold.wall), 10)
    var notes: [String] = []
    let file = payloadFile(payload)
    if let prometheus {
        if let file, let prom = externalMeasure(prometheus, file: file, format: payload.format, seconds: minSeconds) {
            line += pad(mb(payload.bytes.count, prom.cpuSecondsPerParse), 10)
                + pad(prom.wallSecondsPerParse.map { mb(payload.bytes.count, $0) } ?? "-", 10)
                + pad(String(format: "%.2fx", prom.cpuSecondsPerParse / cold.cpu), 10)
            if prom.samples != cold.samples { notes.append("prometheus counted \(prom.samples) samples") }
        } else {
            line += pad("failed", 10) + pad("-", 10) + pad("-", 10)
        }
    }
    if withPython, let file, let python = externalMeasure(["/usr/bin/env", "python3", script], file: file,
                                                           format: payload.format, seconds: 1.0) {
        line += pad(String(format: "%.1f", Double(payload.bytes.count) / python.cpuSecondsPerParse / 1e6), 12)
            + String(format: "%.0fx / %.0fx", python.cpuSecondsPerParse / warm.cpu, python.cpuSecondsPerParse / cold.cpu)
        if python.samples != cold.samples { notes.append("python counted \(python.samples) samples") }
    } else {
        line += pad("n/a", 12) + "-"
    }
    print(line + notes.map { "  (\($0))" }.joined())
}
