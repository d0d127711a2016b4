import Foundation
import Model

/// The output of gen_openmetrics.py: each series' samples in time order, series after series.
struct History {
    var labels: [Labels] = []
    var samples: [[Sample]] = []
    var total: Int { samples.reduce(0) { $0 + $1.count } }
    var steps: Int { samples.map(\.count).max() ?? 0 }

    /// Parses `name{a="b",...} value ts_seconds` lines; comments are skipped.
    static func load(_ path: String) throws -> History {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var history = History()
        var index: [String: Int] = [:]
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 10 { end += 1 }
                defer { start = end + 1 }
                if end == start || bytes[start] == UInt8(ascii: "#") { continue }
                // The series part ends at the last space but one.
                var lastSpace = end - 1
                while bytes[lastSpace] != 32 { lastSpace -= 1 }
                var valueSpace = lastSpace - 1
                while bytes[valueSpace] != 32 { valueSpace -= 1 }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<valueSpace]), as: UTF8.self)
                let valueText = String(decoding: UnsafeBufferPointer(rebasing: bytes[(valueSpace + 1)..<lastSpace]), as: UTF8.self)
                let tsText = String(decoding: UnsafeBufferPointer(rebasing: bytes[(lastSpace + 1)..<end]), as: UTF8.self)
                let slot: Int
                if let known = index[key] {
                    slot = known
                } else {
                    slot = history.labels.count
                    index[key] = slot
                    history.labels.append(parseLabels(key))
                    history.samples.append([])
                }
                history.samples[slot].append(Sample(parseTimestamp(tsText), parseValue(valueText)))
            }
        }
        return history
    }

    static func parseValue(_ text: String) -> Double {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text) ?? .nan
        }
    }

    /// "1700000000.123" → 1700000000123 ms, exactly.
    static func parseTimestamp(_ text: String) -> Timestamp {
        let parts = text.split(separator: ".", maxSplits: 1)
        let seconds = Int64(parts[0]) ?? 0
        var millis: Int64 = 0
        if parts.count == 2 {
            let frac = String(parts[1].prefix(3)).padding(toLength: 3, withPad: "0", startingAt: 0)
            millis = Int64(frac) ?? 0
        }
        return seconds * 1000 + millis
    }

    static func parseLabels(_ key: String) -> Labels {
        guard let brace = key.firstIndex(of: "{") else { return Labels([Label(Labels.metricName, key)]) }
        var labels = [Label(Labels.metricName, String(key[..<brace]))]
        var rest = key[key.index(after: brace)...].dropLast()   // drop "}"
        while !rest.isEmpty {
            guard let eq = rest.firstIndex(of: "=") else { break }
            let name = String(rest[..<eq])
            var i = rest.index(eq, offsetBy: 2)   // after ="
            var value = ""
            while rest[i] != "\"" {
                if rest[i] == "\\" { i = rest.index(after: i) }
                value.append(rest[i])
                i = rest.index(after: i)
            }
            labels.append(Label(name, value))
            rest = rest[rest.index(after: i)...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return Labels(labels)
    }
}
