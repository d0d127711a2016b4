import Exposition
import Foundation

// Other parsers timed on the same payload bytes, each by a helper that prints
// `bytes samples cpu_seconds_per_parse [wall_seconds_per_parse]` (best run):
// python_parse_bench.py (prometheus_client) and prom_parse_bench.sh (Prometheus' textparse).

/// What a helper reported for one payload: best CPU (and, when it says, wall) seconds per parse.
struct ExternalMeasurement {
    let samples: Int
    let cpuSecondsPerParse: Double
    let wallSecondsPerParse: Double?
}

/// Runs `executable` and returns its standard output; throws when it exits with a failure.
func run(_ executable: String, _ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    return data
}

/// The payload written to a temporary file, for the helpers to read.
func payloadFile(_ payload: Payload) -> URL? {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("parserbench-\(payload.name)")
    return (try? Data(payload.bytes).write(to: file)) != nil ? file : nil
}

/// Runs one helper (`command` + payload path, format, seconds) and reads its line; nil when it
/// failed (its reason is on standard error) or printed something else.
func externalMeasure(_ command: [String], file: URL, format: ExpositionFormat, seconds: Double) -> ExternalMeasurement? {
    let arguments = Array(command.dropFirst()) + [file.path, format == .openMetrics ? "openmetrics" : "text", String(seconds)]
    guard let output = try? run(command[0], arguments),
          let fields = String(data: output, encoding: .utf8)?
              .split(whereSeparator: { $0 == " " || $0 == "\n" }), fields.count >= 3,
          let samples = Int(fields[1]), let cpu = Double(fields[2]), cpu > 0 else { return nil }
    return ExternalMeasurement(samples: samples, cpuSecondsPerParse: cpu,
                               wallSecondsPerParse: fields.count > 3 ? Double(fields[3]) : nil)
}

/// Builds the Prometheus helper (downloading its source the first time) and returns the command
/// that runs it, or nil with the reason printed.
func preparePrometheusHelper(script: String) -> [String]? {
    do {
        let output = try run("/bin/sh", [script, "--build"])
        guard let binary = String(data: output, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !binary.isEmpty else { return nil }
        return [binary]
    } catch {
        print("prom_parse_bench.sh --build failed (see above); no Prometheus column")
        return nil
    }
}
