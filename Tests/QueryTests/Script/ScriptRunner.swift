import Foundation
import Model
@testable import Query

/// Runs test scripts in the style of Prometheus' promqltest against `Engine` over a
/// `MemorySeriesStore`. Commands:
///
///     load 5m [from SECONDS]               # then indented series lines: metric{a="b"} 0+10x10 _ stale
///     clear
///     set lookback 1m | set timezone Europe/Berlin | set subquery_step 1m
///     eval instant at 50m EXPR             # then expected lines: {a="b"} 1  (or a scalar value)
///     eval_ordered instant at 50m EXPR     # expected lines in result order
///     eval_fail instant at 50m EXPR        # optionally followed by: error MESSAGE-PREFIX
///     eval range from 0 to 10m step 5m EXPR  # then series lines in series notation (`_` = no point)
///
/// Values compare with promqltest's relative 1e-6, or exactly when written with 17 digits.
struct ScriptRunner {
    private var store = MemorySeriesStore()
    private var options = EngineOptions(timeZone: TimeZone(identifier: "UTC")!)
    private(set) var failures: [String] = []
    private(set) var evalCount = 0
    let name: String

    init(name: String) { self.name = name }

    mutating func run(_ script: String) {
        let lines = script.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            let lineNumber = i + 1
            i += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            var block: [String] = []
            while i < lines.count, lines[i].hasPrefix(" ") || lines[i].hasPrefix("\t") {
                let inner = lines[i].trimmingCharacters(in: .whitespaces)
                if !inner.isEmpty && !inner.hasPrefix("#") { block.append(inner) }
                i += 1
            }
            do {
                try command(line, block)
            } catch {
                failures.append("\(name):\(lineNumber): \(line): \(error)")
            }
        }
    }

    private struct Failure: Error, CustomStringConvertible { let description: String }

    private mutating func command(_ line: String, _ block: [String]) throws {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        switch words[0] {
        case "load":
            // `load 5m` or `load 1h from <unix seconds>`.
            let parts = words[1].split(separator: " ").map(String.init)
            let origin = parts.count == 3 && parts[1] == "from" ? try Self.duration(parts[2]) : 0
            try load(interval: try Self.duration(parts[0]), origin: origin, block)
        case "clear": store = MemorySeriesStore()
        case "set":
            let parts = words[1].split(separator: " ").map(String.init)
            switch parts[0] {
            case "lookback": options.lookbackDelta = try Self.duration(parts[1])
            case "timezone": options.timeZone = TimeZone(identifier: parts[1])!
            case "subquery_step": options.defaultSubqueryStep = try Self.duration(parts[1])
            default: throw Failure(description: "unknown setting")
            }
        case "eval", "eval_ordered", "eval_fail":
            evalCount += 1
            try eval(words[0], words[1], block)
        default: throw Failure(description: "unknown command")
        }
    }

    private func load(interval: Int64, origin: Int64, _ block: [String]) throws {
        var batch: [LabeledSample] = []
        for line in block {
            let (labels, values) = try SeriesNotation.parseLine(line)
            for (i, value) in values.enumerated() {
                let t = origin + Int64(i) * interval
                switch value {
                case .number(let v): batch.append(LabeledSample(labels, Sample(t, v)))
                case .stale: batch.append(LabeledSample(labels, Sample(t, StaleMarker.value)))
                case .missing: break
                }
            }
        }
        try store.append(batch)
    }

    static func duration(_ text: String) throws -> Int64 {
        if let ms = PromDuration.parse(text) { return ms }
        if let seconds = Double(text) { return Int64(seconds * 1000) }
        throw Failure(description: "bad duration \(text)")
    }

    private func eval(_ kind: String, _ rest: String, _ block: [String]) throws {
        let engine = Engine(querier: store, options: options)
        let words = rest.split(separator: " ").map(String.init)
        let result: Result<QueryResult, Error>
        let expr: String
        var rangeStart: Int64?
        var step: Int64 = 1
        if words[0] == "instant", words[1] == "at" {
            expr = words.dropFirst(3).joined(separator: " ")
            let at = try Self.duration(words[2])
            result = Result { try engine.instant(expr, at: at) }
        } else if words[0] == "range", words[1] == "from", words[3] == "to", words[5] == "step" {
            expr = words.dropFirst(7).joined(separator: " ")
            let (from, to) = (try Self.duration(words[2]), try Self.duration(words[4]))
            step = try Self.duration(words[6])
            rangeStart = from
            let interval = step
            result = Result { try engine.range(expr, start: from, end: to, step: interval) }
        } else {
            throw Failure(description: "bad eval syntax")
        }
        if kind == "eval_fail" {
            switch result {
            case .success(let value): throw Failure(description: "expected an error, got \(value)")
            case .failure(let error):
                if let expected = block.first(where: { $0.hasPrefix("error ") })?.dropFirst(6),
                   !"\(error)".hasPrefix(expected) {
                    throw Failure(description: "error \"\(error)\" does not start with \"\(expected)\"")
                }
            }
            return
        }
        let value = try result.get()
        try ResultMatcher(expected: block, ordered: kind == "eval_ordered", rangeStart: rangeStart, step: step).check(value)
    }
}
