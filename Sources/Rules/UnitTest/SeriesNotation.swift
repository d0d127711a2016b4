import Model

/// The notations of promtool test files: expanding series values (`1+2x10`, `_x3`, `stale`) and
/// metric text (`name{label="value"}`).
enum SeriesNotation {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Expands a `values` string into optional values (nil = omitted), one per interval step.
    static func values(_ text: String) throws -> [Double?] {
        var out: [Double?] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) {
            out += try expand(token)
        }
        return out
    }

    private static func expand(_ token: String) throws -> [Double?] {
        if token == "_" { return [nil] }
        if token == "stale" { return [StaleMarker.value] }
        guard let x = token.lastIndex(of: "x"), let times = Int(token[token.index(after: x)...]), times >= 0 else {
            return [try number(token)]
        }
        let head = String(token[..<x])
        if head == "_" { return Array(repeating: nil, count: times) }
        if head == "stale" { return Array(repeating: StaleMarker.value, count: times + 1) }
        let chars = Array(head)
        // The increment's sign splits start and step; skip a leading sign and exponent signs.
        if let split = chars.indices.dropFirst().last(where: { (chars[$0] == "+" || chars[$0] == "-") && !"eE".contains(chars[$0 - 1]) }) {
            var value = try number(String(chars[..<split]))
            let step = try number(String(chars[split...]))
            var out: [Double?] = [value]
            for _ in 0..<times {
                value += step
                out.append(value)
            }
            return out
        }
        return Array(repeating: try number(head), count: times + 1)
    }

    private static func number(_ text: String) throws -> Double {
        var body = Substring(text)
        var sign = 1.0
        if body.first == "+" { body = body.dropFirst() } else if body.first == "-" { sign = -1; body = body.dropFirst() }
        switch body.lowercased() {
        case "inf": return sign * .infinity
        case "nan": return .nan
        default:
            if body.lowercased().hasPrefix("0x"), let v = Int64(body.dropFirst(2), radix: 16) { return sign * Double(v) }
            guard let v = Double(body), !body.isEmpty, body.first != "." || body.count > 1 else {
                throw Failure(description: "invalid value \"\(text)\"")
            }
            return sign * v
        }
    }

    /// Parses `name{a="1", b="2"}`, `{__name__="x"}` or `name` into labels (Prometheus' `ParseMetric`);
    /// errors read `1:5: parse error: unexpected identifier "x"`.
    static func metric(_ text: String) throws -> Labels {
        var scanner = MetricScanner(chars: Array(text))
        return try scanner.parse()
    }
}

/// A small scanner for metric notation with Prometheus-style error positions.
private struct MetricScanner {
    let chars: [Character]
    var i = 0

    private func fail(_ message: String, at index: Int? = nil) -> SeriesNotation.Failure {
        SeriesNotation.Failure(description: "1:\((index ?? i) + 1): parse error: \(message)")
    }

    private mutating func skipSpaces() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }

    private mutating func identifier() -> String {
        let start = i
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == ":" { i += 1 }
        return String(chars[start..<i])
    }

    mutating func parse() throws -> Labels {
        var labels: [Label] = []
        skipSpaces()
        let name = identifier()
        if !name.isEmpty { labels.append(Label(Labels.metricName, name)) }
        skipSpaces()
        if i < chars.count, chars[i] == "{" {
            i += 1
            try parseBraces(into: &labels)
            skipSpaces()
        } else if labels.isEmpty {
            throw fail(i < chars.count ? "unexpected character: \(goQuoted(String(chars[i])))" : "unexpected end of input")
        }
        guard i >= chars.count else {
            let start = i
            let word = identifier()
            throw fail(word.isEmpty ? "unexpected character: \(goQuoted(String(chars[start])))" : "unexpected identifier \(goQuoted(word))", at: start)
        }
        return Labels(labels)
    }

    private mutating func parseBraces(into labels: inout [Label]) throws {
        while true {
            skipSpaces()
            guard i < chars.count else { throw fail("unexpected end of input inside braces") }
            if chars[i] == "}" { i += 1; return }
            let start = i
            let name = identifier()
            guard !name.isEmpty else { throw fail("unexpected character inside braces: \(goQuoted(String(chars[i])))") }
            skipSpaces()
            guard i < chars.count, chars[i] == "=" else {
                throw i < chars.count ? fail("unexpected character inside braces: \(goQuoted(String(chars[i])))") : fail("unexpected end of input inside braces")
            }
            i += 1
            skipSpaces()
            labels.append(Label(name, try quoted(start: start)))
            skipSpaces()
            if i < chars.count, chars[i] == "," { i += 1 }
        }
    }

    private mutating func quoted(start: Int) throws -> String {
        guard i < chars.count, chars[i] == "\"" || chars[i] == "'" || chars[i] == "`" else {
            throw i < chars.count ? fail("unexpected character inside braces: \(goQuoted(String(chars[i])))") : fail("unexpected end of input inside braces")
        }
        let quote = chars[i]
        let open = i
        i += 1
        var out = ""
        while i < chars.count, chars[i] != quote {
            if chars[i] == "\\", quote != "`", i + 1 < chars.count {
                i += 1
                switch chars[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(chars[i])
                }
            } else {
                out.append(chars[i])
            }
            i += 1
        }
        guard i < chars.count else { throw fail("unterminated quoted string", at: open) }
        i += 1
        return out
    }
}
