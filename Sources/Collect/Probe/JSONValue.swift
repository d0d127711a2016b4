/// A parsed JSON document, enough to evaluate `expect.json` paths against a health response.
enum JSONValue: Equatable, Sendable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Follows a dotted path with optional array indexes: `checks.database`, `items[0].name`, `items.0`.
    func value(at path: String) -> JSONValue? {
        var current = self
        for segment in JSONValue.segments(of: path) {
            switch (current, segment) {
            case (.object(let members), .key(let key)):
                guard let next = members[key] else { return nil }
                current = next
            case (.array(let items), .index(let index)):
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            case (.array(let items), .key(let key)):
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    enum Segment: Equatable { case key(String), index(Int) }

    static func segments(of path: String) -> [Segment] {
        var result: [Segment] = []
        for part in path.split(separator: ".", omittingEmptySubsequences: true) {
            var rest = part[...]
            if let bracket = rest.firstIndex(of: "[") {
                if bracket > rest.startIndex { result.append(.key(String(rest[..<bracket]))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    let inner = rest[rest.index(after: rest.startIndex)..<close]
                    result.append(Int(inner).map(Segment.index) ?? .key(String(inner)))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                result.append(.key(String(rest)))
            }
        }
        return result
    }

    /// The value as JSON text, for failure reasons: `"unhealthy: timeout"`, `3`, `true`.
    var literal: String {
        switch self {
        case .string(let text): return "\"\(text)\""
        case .number(let number): return JSONValue.format(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let items): return "an array of \(items.count)"
        case .object: return "an object"
        }
    }

    static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}
