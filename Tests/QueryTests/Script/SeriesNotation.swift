import Foundation
import Model
@testable import Query

/// Prometheus' series notation from promqltest: `metric{a="b"} 0+10x5 _ stale 3 _x2`.
enum SeriesNotation {
    /// One expanded value: a number, a missing step, or a stale marker.
    enum Value: Equatable {
        case number(Double)
        case missing
        case stale
    }

    struct ParseFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Splits `metric{labels} values` into labels and expanded values.
    static func parseLine(_ line: String) throws -> (Labels, [Value]) {
        let (labelsText, valuesText) = splitLabels(line)
        return (try parseLabels(labelsText), try expand(valuesText))
    }

    static func splitLabels(_ line: String) -> (String, String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if let close = trimmed.firstIndex(of: "}") {
            return (String(trimmed[...close]), String(trimmed[trimmed.index(after: close)...]))
        }
        let parts = trimmed.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }

    static func parseLabels(_ text: String) throws -> Labels {
        if text == "{}" { return Labels() }
        let expr = try PromQL.parse(text)
        guard case .vectorSelector(let selector) = expr.node else { throw ParseFailure(description: "not a series: \(text)") }
        return Labels(selector.matchers.map { Label($0.name, $0.value) })
    }

    static func expand(_ text: String) throws -> [Value] {
        var out: [Value] = []
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            out += try expandItem(String(item))
        }
        return out
    }

    private static func expandItem(_ item: String) throws -> [Value] {
        if item == "_" { return [.missing] }
        if item == "stale" { return [.stale] }
        if item.hasPrefix("_x"), let n = Int(item.dropFirst(2)) { return Array(repeating: .missing, count: n) }
        guard let x = item.lastIndex(of: "x"), let times = Int(item[item.index(after: x)...]) else {
            return [.number(try number(item))]
        }
        let head = String(item[..<x])
        // `a+b`, `a-b` or `a` (the sign search skips a leading sign and exponents).
        var split: String.Index?
        var index = head.index(after: head.startIndex)
        while index < head.endIndex {
            let ch = head[index]
            let previous = head[head.index(before: index)]
            if (ch == "+" || ch == "-") && previous != "e" && previous != "E" { split = index }
            index = head.index(after: index)
        }
        let start = try number(split.map { String(head[..<$0]) } ?? head)
        let increment = try split.map { try number(String(head[$0...])) } ?? 0
        var value = start
        var values: [Value] = []
        for _ in 0...times {
            values.append(.number(value))
            value += increment
        }
        return values
    }

    static func number(_ text: String) throws -> Double {
        switch text.lowercased() {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default:
            guard let value = Double(text) else { throw ParseFailure(description: "bad number \(text)") }
            return value
        }
    }
}
