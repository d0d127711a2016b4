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

    /// Parses `name{a="1", b="2"}`, `{__name__="x"}` or `name` into labels (Prometheus' `ParseMetric`).
    static func metric(_ text: String) throws -> Labels {
        let chars = Array(text.trimmingTemplateSpace())
        var i = 0
        var labels: [Label] = []
        let nameStart = i
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == ":" { i += 1 }
        if i > nameStart { labels.append(Label(Labels.metricName, String(chars[nameStart..<i]))) }
        guard i < chars.count else {
            if labels.isEmpty { throw Failure(description: "unexpected end of input") }
            return Labels(labels)
        }
        guard chars[i] == "{" else { throw Failure(description: "unexpected character \"\(chars[i])\"") }
        i += 1
        while true {
            while i < chars.count, chars[i] == " " { i += 1 }
            guard i < chars.count else { throw Failure(description: "unexpected end of input inside braces") }
            if chars[i] == "}" { i += 1; break }
            let start = i
            while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
            let name = String(chars[start..<i])
            while i < chars.count, chars[i] == " " { i += 1 }
            guard !name.isEmpty, i < chars.count, chars[i] == "=" else { throw Failure(description: "unexpected character in label matcher") }
            i += 1
            while i < chars.count, chars[i] == " " { i += 1 }
            let value = try quoted(chars, &i)
            labels.append(Label(name, value))
            while i < chars.count, chars[i] == " " { i += 1 }
            if i < chars.count, chars[i] == "," { i += 1 }
        }
        while i < chars.count, chars[i] == " " { i += 1 }
        guard i == chars.count else { throw Failure(description: "unexpected characters after metric") }
        return Labels(labels)
    }

    private static func quoted(_ chars: [Character], _ i: inout Int) throws -> String {
        guard i < chars.count, let quote = chars[i] as Character?, quote == "\"" || quote == "'" || quote == "`" else {
            throw Failure(description: "expected quoted label value")
        }
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
        guard i < chars.count else { throw Failure(description: "unterminated quoted string") }
        i += 1
        return out
    }
}
