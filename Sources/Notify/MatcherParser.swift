import Model

/// Parses matchers as people type them: `k=v`, `k!=v`, `k=~re`, `k!~re`, with the value optionally
/// in double quotes (Alertmanager's `service=~"billing|payments"`).
public enum MatcherParser {
    /// A matcher that could not be parsed, with the reason.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String { "invalid matcher \(input): \(reason)" }
    }

    /// Parses one matcher.
    public static func parse(_ text: String) throws -> Matcher {
        let input = String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        let name = input.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard let first = name.first, !first.isNumber else {
            throw ParseError(input: text, reason: "expected a label name")
        }
        var rest = input.dropFirst(name.count).drop { $0 == " " }
        let kind: Matcher.Kind
        if rest.hasPrefix("=~") { kind = .regexMatch } else if rest.hasPrefix("!~") { kind = .regexNoMatch } else if rest.hasPrefix("!=") { kind = .notEqual } else if rest.hasPrefix("=") { kind = .equal } else {
            throw ParseError(input: text, reason: "expected one of =, !=, =~, !~ after \(name)")
        }
        rest = rest.dropFirst(kind.rawValue.count).drop { $0 == " " }
        let value = try unquote(String(rest), input: text)
        do {
            return try Matcher(String(name), kind, value)
        } catch {
            throw ParseError(input: text, reason: "\(error)")
        }
    }

    /// Parses several matchers; the first bad one throws.
    public static func parseList(_ texts: [String]) throws -> [Matcher] {
        try texts.map(parse)
    }

    private static func unquote(_ value: String, input: String) throws -> String {
        guard value.hasPrefix("\"") else { return value }
        guard value.count >= 2, value.hasSuffix("\"") else { throw ParseError(input: input, reason: "unterminated quote") }
        var out = ""
        var escaped = false
        for ch in value.dropFirst().dropLast() {
            if escaped {
                switch ch {
                case "n": out.append("\n")
                default: out.append(ch)
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

