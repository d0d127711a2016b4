import Foundation

/// Reads the `FAILED:` blocks of `promtool test rules` output:
///
///     expr: "a", time: 2m,
///         exp: {__name__="a", x="1"} NaN, {__name__="a", x="2"} 5E+00
///         got: {__name__="a", x="1"} NaN, {__name__="a", x="2"} 5E+00
enum PromtoolReport {
    struct Failure {
        var header: String
        var expected: [(String, Double)]?
        var got: [(String, Double)]?

        /// Why the two sides really differ, or nil when they agree within `tolerance`.
        func mismatch(tolerance: Double) -> String? {
            guard let expected, let got else { return "\(header): unreadable report" }
            guard expected.count == got.count else {
                return "\(header): ours \(expected.count) samples, Prometheus \(got.count): \(got.map(\.0))"
            }
            for ((el, ev), (gl, gv)) in zip(expected, got) {
                guard el == gl else { return "\(header): labels ours \(el), Prometheus \(gl)" }
                if !PromtoolReport.close(ev, gv, tolerance) { return "\(header) \(el): ours \(ev), Prometheus \(gv)" }
            }
            return nil
        }
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= tolerance * max(abs(a), abs(b))
    }

    static func failures(_ output: String) -> [Failure] {
        var out: [Failure] = []
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("expr: ") {
                out.append(Failure(header: line))
            } else if line.hasPrefix("exp: "), !out.isEmpty {
                out[out.count - 1].expected = samples(String(line.dropFirst(5)))
            } else if line.hasPrefix("got: "), !out.isEmpty {
                out[out.count - 1].got = samples(String(line.dropFirst(5)))
            } else if !out.isEmpty, out[out.count - 1].got == nil, !line.isEmpty {
                out[out.count - 1].header += " " + line
            }
        }
        return out
    }

    /// `{a="1", b="x, y"} 5E+00, {} NaN` → label text and value pairs; anything else is empty.
    static func samples(_ text: String) -> [(String, Double)]? {
        var result: [(String, Double)] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            while i < chars.count, chars[i] == " " || chars[i] == "," { i += 1 }
            guard i < chars.count else { break }
            guard chars[i] == "{" else { return result.isEmpty ? [] : nil }
            let start = i
            var inQuote = false
            while i < chars.count {
                let c = chars[i]
                if inQuote && c == "\\" { i += 2; continue }
                if c == "\"" { inQuote.toggle() }
                i += 1
                if c == "}" && !inQuote { break }
            }
            let labels = String(chars[start..<i])
            while i < chars.count, chars[i] == " " { i += 1 }
            let valueStart = i
            while i < chars.count, chars[i] != "," { i += 1 }
            let valueText = String(chars[valueStart..<i]).trimmingCharacters(in: .whitespaces)
            guard let value = parse(valueText) else { return nil }
            result.append((labels, value))
        }
        return result
    }

    static func parse(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }
}
