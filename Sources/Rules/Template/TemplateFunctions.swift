import Model

/// What a template may reach outside its data: the query function and the evaluation time.
struct TemplateEnvironment: Sendable {
    var query: QueryFunc?
    var timestamp: Timestamp
    var externalURL: String
}

/// A function failed; `isCallError` selects Go's "error calling NAME:" wording.
struct TemplateFunctionError: Error {
    var message: String
    var isCallError = true
    /// For a rejected argument: the Go type it had.
    var wrongType: String?

    init(_ message: String, isCallError: Bool = true, wrongType: String? = nil) {
        self.message = message
        self.isCallError = isCallError
        self.wrongType = wrongType
    }
}

typealias TemplateFunction = @Sendable ([TemplateValue], TemplateEnvironment) throws -> TemplateValue

/// The function map: Go's builtins plus Prometheus' template functions.
enum TemplateFunctions {
    static let all: [String: TemplateFunction] = GoBuiltins.functions.merging(PrometheusFunctions.functions) { $1 }

    static func isDefined(_ name: String) -> Bool { all[name] != nil || name == "and" || name == "or" }

    static func call(_ name: String, _ args: [TemplateValue], _ environment: TemplateEnvironment) throws -> TemplateValue {
        guard let function = all[name] else { throw TemplateFunctionError("function \"\(name)\" not defined", isCallError: false) }
        return try function(args, environment)
    }

    /// Checks the argument count the way Go reports it.
    static func arity(_ name: String, _ args: [TemplateValue], _ count: Int) throws {
        guard args.count == count else {
            throw TemplateFunctionError("wrong number of args for \(name): want \(count) got \(args.count)", isCallError: false)
        }
    }

    /// A `string` parameter: Go refuses other types.
    static func string(_ value: TemplateValue) throws -> String {
        if case .string(let s) = value { return s }
        throw TemplateFunctionError("wrong type for value; expected string; got \(value.goType)", isCallError: false, wrongType: value.goType)
    }
}

/// Go's predefined template functions.
enum GoBuiltins {
    static let functions: [String: TemplateFunction] = [
        "not": { args, _ in try TemplateFunctions.arity("not", args, 1); return .bool(!args[0].isTrue) },
        "len": { args, _ in try TemplateFunctions.arity("len", args, 1); return .int(try length(args[0])) },
        "index": { args, _ in try index(args) },
        "print": { args, _ in .string(sprint(args)) },
        "println": { args, _ in .string(args.map(\.printed).joined(separator: " ") + "\n") },
        "printf": { args, _ in
            guard let first = args.first else { throw TemplateFunctionError("wrong number of args for printf: want at least 1 got 0", isCallError: false) }
            return .string(GoPrintf.format(try TemplateFunctions.string(first), Array(args.dropFirst())))
        },
        "html": { args, _ in .string(htmlEscape(sprint(args))) },
        "urlquery": { args, _ in .string(queryEscape(sprint(args))) },
        "js": { args, _ in .string(jsEscape(sprint(args))) },
        "eq": { args, _ in
            guard args.count >= 2 else { throw TemplateFunctionError("missing argument for comparison") }
            for other in args.dropFirst() where try compare(args[0], other, ordered: false) == 0 { return .bool(true) }
            return .bool(false)
        },
        "ne": { args, _ in try TemplateFunctions.arity("ne", args, 2); return .bool(try compare(args[0], args[1], ordered: false) != 0) },
        "lt": { args, _ in try TemplateFunctions.arity("lt", args, 2); return .bool(try compare(args[0], args[1], ordered: true) < 0) },
        "le": { args, _ in try TemplateFunctions.arity("le", args, 2); return .bool(try compare(args[0], args[1], ordered: true) <= 0) },
        "gt": { args, _ in try TemplateFunctions.arity("gt", args, 2); return .bool(try compare(args[0], args[1], ordered: true) > 0) },
        "ge": { args, _ in try TemplateFunctions.arity("ge", args, 2); return .bool(try compare(args[0], args[1], ordered: true) >= 0) },
    ]

    /// `fmt.Sprint`: a space between operands when neither is a string.
    static func sprint(_ args: [TemplateValue]) -> String {
        var out = ""
        for (i, arg) in args.enumerated() {
            if i > 0, !isString(args[i - 1]), !isString(arg) { out += " " }
            out += arg.printed
        }
        return out
    }

    private static func isString(_ v: TemplateValue) -> Bool {
        if case .string = v { return true }
        return false
    }

    static func length(_ v: TemplateValue) throws -> Int {
        switch v {
        case .string(let s): return s.utf8.count
        case .list(let l): return l.count
        case .stringMap(let m): return m.count
        case .anyMap(let m): return m.count
        default: throw TemplateFunctionError("len of type \(v.goType)")
        }
    }

    static func index(_ args: [TemplateValue]) throws -> TemplateValue {
        guard var value = args.first else { throw TemplateFunctionError("wrong number of args for index: want at least 1 got 0", isCallError: false) }
        for key in args.dropFirst() {
            switch (value, key) {
            case (.stringMap(let m), .string(let k)): value = .string(m[k] ?? "")
            case (.anyMap(let m), .string(let k)): value = m[k] ?? .missing
            case (.list(let l), .int(let i)):
                guard l.indices.contains(i) else { throw TemplateFunctionError("error indexing slice: index out of range: \(i)") }
                value = l[i]
            case (.string(let s), .int(let i)):
                let bytes = Array(s.utf8)
                guard bytes.indices.contains(i) else { throw TemplateFunctionError("error indexing string: index out of range: \(i)") }
                value = .int(Int(bytes[i]))
            case (.missing, _), (.null, _): throw TemplateFunctionError("index of untyped nil")
            default: throw TemplateFunctionError("can't index item of type \(value.goType)")
            }
        }
        return value
    }

    private enum Kind { case bool, int, float, string, other }

    private static func kind(_ v: TemplateValue) -> Kind {
        switch v {
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        default: return .other
        }
    }

    /// Go's `eq`/`lt` rules: same basic kind only, and ordering only for numbers and strings.
    static func compare(_ a: TemplateValue, _ b: TemplateValue, ordered: Bool) throws -> Int {
        let ka = kind(a), kb = kind(b)
        guard ka == kb, ka != .other else {
            if ka == .other || kb == .other, !ordered { throw TemplateFunctionError("non-comparable types \(a.printed): \(a.goType), \(b.goType): \(b.printed)") }
            throw TemplateFunctionError(ka == kb ? "invalid type for comparison" : "incompatible types for comparison")
        }
        switch (a, b) {
        case (.bool(let x), .bool(let y)):
            if ordered { throw TemplateFunctionError("invalid type for comparison") }
            return x == y ? 0 : 1
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.float(let x), .float(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)):
            let xb = Array(x.utf8), yb = Array(y.utf8)
            return xb.lexicographicallyPrecedes(yb) ? -1 : (xb == yb ? 0 : 1)
        default: throw TemplateFunctionError("incompatible types for comparison")
        }
    }

    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "'": out += "&#39;"
            case "\"": out += "&#34;"
            case "\0": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static func jsEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "<": out += "\\u003C"
            case ">": out += "\\u003E"
            case "&": out += "\\u0026"
            case "=": out += "\\u003D"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
