/// A dynamically typed value during template execution, mirroring the Go types Prometheus hands
/// to `text/template` (`map[string]string`, `float64`, `*sample`, `queryResult`, `*time.Time`).
indirect enum TemplateValue: Sendable {
    /// Go's invalid value (a missing map entry of interface type): prints `<no value>`.
    case missing
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// A `map[string]string` (labels): a missing key reads as "".
    case stringMap([String: String])
    /// A `map[string]interface{}` (from `args`): a missing key reads as `<no value>`.
    case anyMap([String: TemplateValue])
    case list([TemplateValue])
    /// One element of a `query` result: `.Labels`, `.Value`.
    case sample(QuerySample)
    /// A `*time.Time` in UTC, from `toTime`.
    case time(seconds: Int64, nanos: Int64)
    /// The data struct Prometheus passes (`.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`).
    case record(typeName: String, fields: [(String, TemplateValue)])

    /// Go's name of the dynamic type, for error messages.
    var goType: String {
        switch self {
        case .missing: return "<invalid>"
        case .null: return "<nil>"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float64"
        case .string: return "string"
        case .stringMap: return "map[string]string"
        case .anyMap: return "map[string]interface {}"
        case .list: return "template.queryResult"
        case .sample: return "*template.sample"
        case .time: return "*time.Time"
        case .record(let name, _): return name
        }
    }

    /// Go's truthiness (`if`, `with`, `and`, `or`, `not`): zero values and empty collections are false.
    var isTrue: Bool {
        switch self {
        case .missing, .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let f): return f != 0
        case .string(let s): return !s.isEmpty
        case .stringMap(let m): return !m.isEmpty
        case .anyMap(let m): return !m.isEmpty
        case .list(let l): return !l.isEmpty
        case .sample, .time, .record: return true
        }
    }

    /// `fmt.Sprint` of the value.
    var printed: String {
        switch self {
        case .missing: return "<no value>"
        case .null: return "<nil>"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return GoFormat.shortest(f)
        case .string(let s): return s
        case .stringMap(let m): return "map[" + m.keys.sorted().map { "\($0):\(m[$0]!)" }.joined(separator: " ") + "]"
        case .anyMap(let m): return "map[" + m.keys.sorted().map { "\($0):\(m[$0]!.printedNested)" }.joined(separator: " ") + "]"
        case .list(let l): return "[" + l.map(\.printedNested).joined(separator: " ") + "]"
        case .sample(let s): return "&{\(TemplateValue.stringMap(s.labels.dictionary).printed) \(GoFormat.shortest(s.value))}"
        case .time(let seconds, let nanos): return GoFormat.time(seconds: seconds, nanos: nanos)
        case .record(_, let fields): return "{" + fields.map { $0.1.printedNested }.joined(separator: " ") + "}"
        }
    }

    private var printedNested: String {
        if case .missing = self { return "<nil>" }
        return printed
    }
}
