import Model

/// Parses a PromQL series selector (`up`, `up{job="api"}`, `{__name__=~"node_.*",cpu!="0"}`)
/// into matchers, for `match[]`. Errors read like PromQL's: `1:5: parse error: ...`.
enum SelectorParser {
    struct ParseError: Error, CustomStringConvertible {
        let column: Int
        let message: String
        var description: String { "1:\(column): parse error: \(message)" }
    }

    static func parse(_ text: String) throws -> [Matcher] {
        var cursor = Cursor(Array(text.unicodeScalars))
        cursor.skipSpace()
        var matchers: [Matcher] = []
        let name = cursor.identifier(allowColon: true)
        if !name.isEmpty { matchers.append(try Matcher(Labels.metricName, .equal, name)) }
        cursor.skipSpace()
        if cursor.peek == "{" {
            cursor.advance()
            matchers += try labelMatchers(&cursor)
        }
        cursor.skipSpace()
        guard cursor.atEnd else { throw cursor.error("unexpected character \(quoted(cursor.peek!)) after selector") }
        guard !matchers.isEmpty else { throw ParseError(column: 1, message: "no expression found in input") }
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw ParseError(column: 1, message: "vector selector must contain at least one non-empty matcher")
        }
        return matchers
    }

    private static func labelMatchers(_ cursor: inout Cursor) throws -> [Matcher] {
        var matchers: [Matcher] = []
        while true {
            cursor.skipSpace()
            if cursor.peek == "}" { cursor.advance(); return matchers }
            let name = cursor.identifier(allowColon: false)
            guard !name.isEmpty else { throw cursor.error(cursor.atEnd ? "unexpected end of input inside braces" : "unexpected character inside braces: \(quoted(cursor.peek!))") }
            cursor.skipSpace()
            let kind = try cursor.matchOperator()
            cursor.skipSpace()
            let value = try cursor.stringLiteral()
            do { matchers.append(try Matcher(name, kind, value)) } catch { throw cursor.error("\(error)") }
            cursor.skipSpace()
            if cursor.peek == "," { cursor.advance(); continue }
            guard cursor.peek == "}" else { throw cursor.error(cursor.atEnd ? "unexpected end of input inside braces" : "unexpected character inside braces: \(quoted(cursor.peek!))") }
        }
    }

    private static func quoted(_ scalar: Unicode.Scalar) -> String { "'\(Character(scalar))'" }

    struct Cursor {
        let scalars: [Unicode.Scalar]
        var index = 0
        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }
        mutating func advance() { index += 1 }
        mutating func skipSpace() { while let s = peek, s == " " || s == "\t" || s == "\n" || s == "\r" { advance() } }
        func error(_ message: String) -> ParseError { ParseError(column: index + 1, message: message) }

        mutating func identifier(allowColon: Bool) -> String {
            var out = ""
            while let s = peek, s == "_" || (allowColon && s == ":") || (s.isASCII && (s.properties.isAlphabetic || (!out.isEmpty && ("0"..."9").contains(s)))) {
                out.unicodeScalars.append(s)
                advance()
            }
            return out
        }

        mutating func matchOperator() throws -> Matcher.Kind {
            let first = peek
            advance()
            let second = peek
            switch (first, second) {
            case ("=", "~"): advance(); return .regexMatch
            case ("!", "="): advance(); return .notEqual
            case ("!", "~"): advance(); return .regexNoMatch
            case ("=", _): return .equal
            default: index -= 1; throw error("unexpected character in label matcher, expected one of \"=\", \"!=\", \"=~\", \"!~\"")
            }
        }

        mutating func stringLiteral() throws -> String {
            guard let quote = peek, quote == "\"" || quote == "'" || quote == "`" else { throw error("expected label value (a quoted string)") }
            advance()
            var out = ""
            while let s = peek {
                advance()
                if s == quote { return out }
                if s == "\\" && quote != "`" {
                    guard let next = peek else { break }
                    advance()
                    switch next {
                    case "n": out += "\n"
                    case "t": out += "\t"
                    case "r": out += "\r"
                    case "\\", "\"", "'": out.unicodeScalars.append(next)
                    default: throw error("unknown escape sequence '\\\(Character(next))'")
                    }
                } else {
                    out.unicodeScalars.append(s)
                }
            }
            throw error("unterminated quoted string")
        }
    }
}
