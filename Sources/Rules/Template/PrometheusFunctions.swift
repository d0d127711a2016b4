import Foundation
import Model

/// Prometheus' template functions (template/template.go of Prometheus 2.42).
enum PrometheusFunctions {
    static let functions: [String: TemplateFunction] = [
        "query": { args, env in
            try TemplateFunctions.arity("query", args, 1)
            guard let query = env.query else { throw TemplateFunctionError("query is not available here") }
            let result = try query(try TemplateFunctions.string(args[0]), env.timestamp)
            return .list(result.map { .sample($0) })
        },
        "first": { args, _ in
            try TemplateFunctions.arity("first", args, 1)
            guard case .list(let list) = args[0] else { throw wrongType("template.queryResult", args[0]) }
            guard let first = list.first else { throw TemplateFunctionError("first() called on vector with no elements") }
            return first
        },
        "label": { args, _ in
            try TemplateFunctions.arity("label", args, 2)
            let name = try TemplateFunctions.string(args[0])
            guard case .sample(let s) = args[1] else { throw wrongType("*template.sample", args[1]) }
            return .string(s.labels[name] ?? "")
        },
        "value": { args, _ in
            try TemplateFunctions.arity("value", args, 1)
            guard case .sample(let s) = args[0] else { throw wrongType("*template.sample", args[0]) }
            return .float(s.value)
        },
        "strvalue": { args, _ in
            try TemplateFunctions.arity("strvalue", args, 1)
            guard case .sample(let s) = args[0] else { throw wrongType("*template.sample", args[0]) }
            return .string(s.labels["__value__"] ?? "")
        },
        "sortByLabel": { args, _ in
            try TemplateFunctions.arity("sortByLabel", args, 2)
            let name = try TemplateFunctions.string(args[0])
            guard case .list(let list) = args[1] else { throw wrongType("template.queryResult", args[1]) }
            let sorted = list.enumerated().sorted { a, b in
                let x = label(a.element, name), y = label(b.element, name)
                return x != y ? x < y : a.offset < b.offset
            }.map(\.element)
            return .list(sorted)
        },
        "args": { args, _ in
            .anyMap(Dictionary(uniqueKeysWithValues: args.enumerated().map { ("arg\($0.offset)", $0.element) }))
        },
        "reReplaceAll": { args, _ in
            try TemplateFunctions.arity("reReplaceAll", args, 3)
            let pattern = try TemplateFunctions.string(args[0])
            return .string(try GoRegex.replaceAll(pattern: pattern, in: try TemplateFunctions.string(args[2]),
                                                  with: try TemplateFunctions.string(args[1])))
        },
        "match": { args, _ in
            try TemplateFunctions.arity("match", args, 2)
            return .bool(try GoRegex.matches(pattern: try TemplateFunctions.string(args[0]), try TemplateFunctions.string(args[1])))
        },
        "safeHtml": { args, _ in try TemplateFunctions.arity("safeHtml", args, 1); return .string(try TemplateFunctions.string(args[0])) },
        "title": { args, _ in try TemplateFunctions.arity("title", args, 1); return .string(title(try TemplateFunctions.string(args[0]))) },
        "toUpper": { args, _ in try TemplateFunctions.arity("toUpper", args, 1); return .string(try TemplateFunctions.string(args[0]).uppercased()) },
        "toLower": { args, _ in try TemplateFunctions.arity("toLower", args, 1); return .string(try TemplateFunctions.string(args[0]).lowercased()) },
        "stripPort": { args, _ in try TemplateFunctions.arity("stripPort", args, 1); return .string(stripPort(try TemplateFunctions.string(args[0]))) },
        "stripDomain": { args, _ in try TemplateFunctions.arity("stripDomain", args, 1); return .string(stripDomain(try TemplateFunctions.string(args[0]))) },
        "externalURL": { args, env in try TemplateFunctions.arity("externalURL", args, 0); return .string(env.externalURL) },
        "pathPrefix": { args, env in
            try TemplateFunctions.arity("pathPrefix", args, 0)
            return .string(URLComponents(string: env.externalURL)?.path ?? "")
        },
        "graphLink": { args, _ in
            try TemplateFunctions.arity("graphLink", args, 1)
            return .string("/graph?g0.expr=" + GoBuiltins.queryEscape(try TemplateFunctions.string(args[0])) + "&g0.tab=0")
        },
        "tableLink": { args, _ in
            try TemplateFunctions.arity("tableLink", args, 1)
            return .string("/graph?g0.expr=" + GoBuiltins.queryEscape(try TemplateFunctions.string(args[0])) + "&g0.tab=1")
        },
        "humanize": { args, _ in try TemplateFunctions.arity("humanize", args, 1); return .string(Humanize.humanize(try float(args[0]))) },
        "humanize1024": { args, _ in try TemplateFunctions.arity("humanize1024", args, 1); return .string(Humanize.humanize1024(try float(args[0]))) },
        "humanizeDuration": { args, _ in try TemplateFunctions.arity("humanizeDuration", args, 1); return .string(Humanize.duration(try float(args[0]))) },
        "humanizePercentage": { args, _ in
            try TemplateFunctions.arity("humanizePercentage", args, 1)
            return .string(GoFormat.g(try float(args[0]) * 100, precision: 4) + "%")
        },
        "humanizeTimestamp": { args, _ in
            try TemplateFunctions.arity("humanizeTimestamp", args, 1)
            let v = try float(args[0])
            if !v.isFinite { return .string(GoFormat.g(v, precision: 4)) }
            return try toTime(v)
        },
        "toTime": { args, _ in try TemplateFunctions.arity("toTime", args, 1); return try toTime(try float(args[0])) },
        "parseDuration": { args, _ in
            try TemplateFunctions.arity("parseDuration", args, 1)
            let text = try TemplateFunctions.string(args[0])
            guard let ms = PromDuration.parse(text) else { throw TemplateFunctionError("not a valid duration string: \"\(text)\"") }
            return .float(Double(ms) / 1000)
        },
    ]

    private static func label(_ v: TemplateValue, _ name: String) -> String {
        if case .sample(let s) = v { return s.labels[name] ?? "" }
        return ""
    }

    private static func wrongType(_ expected: String, _ got: TemplateValue) -> TemplateFunctionError {
        TemplateFunctionError("wrong type for value; expected \(expected); got \(got.goType)", isCallError: false, wrongType: got.goType)
    }

    /// Prometheus' `convertToFloat`: strings are parsed, numbers taken as they are.
    static func float(_ v: TemplateValue) throws -> Double {
        switch v {
        case .float(let f): return f
        case .int(let i): return Double(i)
        case .string(let s):
            guard let f = GoParse.float(s) else { throw TemplateFunctionError("strconv.ParseFloat: parsing \(goQuoted(s)): invalid syntax") }
            return f
        default: throw TemplateFunctionError("can't convert \(v.goType) to float")
        }
    }

    /// Prometheus' `floatToTime`: millisecond precision (it goes through `model.Time`), UTC.
    static func toTime(_ v: Double) throws -> TemplateValue {
        if !v.isFinite { throw TemplateFunctionError("value is NaN or Inf") }
        let nanos = v * 1e9
        guard nanos < 9.223372036854775807e18, nanos >= -9.223372036854775808e18 else {
            throw TemplateFunctionError("\(GoFormat.shortest(v)) cannot be represented as a nanoseconds timestamp since it overflows int64")
        }
        let ms = Int64(nanos) / 1_000_000
        var seconds = ms / 1000
        var rest = ms % 1000
        if rest < 0 { seconds -= 1; rest += 1000 }
        return .time(seconds: seconds, nanos: rest * 1_000_000)
    }

    /// Go's deprecated `strings.Title`: upper-cases the first letter of each word.
    static func title(_ s: String) -> String {
        var out = ""
        var previous: Character = " "
        for c in s {
            let separator = !(previous.isLetter || previous.isNumber || previous == "_" || previous == "'")
            out += separator ? String(c).uppercased() : String(c)
            previous = c
        }
        return out
    }

    /// `net.SplitHostPort`, returning the input when it has no port.
    static func stripPort(_ hostPort: String) -> String {
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return hostPort }
            let after = hostPort[hostPort.index(after: close)...]
            guard after.hasPrefix(":"), !after.dropFirst().contains(":") else { return hostPort }
            return String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
        }
        guard let colon = hostPort.lastIndex(of: ":") else { return hostPort }
        let host = hostPort[..<colon]
        if host.contains(":") { return hostPort }
        return String(host)
    }

    /// Prometheus' `stripDomain`: drops everything after the first dot of the host, keeps the port.
    static func stripDomain(_ hostPort: String) -> String {
        var host = hostPort, port = ""
        if let colon = hostPort.lastIndex(of: ":"), !hostPort[..<colon].contains(":") {
            host = String(hostPort[..<colon]); port = String(hostPort[colon...])
        }
        if host.allSatisfy({ $0.isNumber || $0 == "." }) { return hostPort }
        if let dot = host.firstIndex(of: ".") { host = String(host[..<dot]) }
        return host + port
    }
}

/// Go's `strconv.ParseFloat` for the forms templates meet.
enum GoParse {
    static func float(_ s: String) -> Double? {
        switch s.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return Double(s.filter { $0 != "_" })
        }
    }
}
