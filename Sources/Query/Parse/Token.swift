import Model

/// Token kinds of the PromQL lexer, named after Prometheus' item types so error messages can
/// describe them the way Prometheus does.
enum TokenKind: Equatable, Sendable {
    case eof
    case identifier
    case metricIdentifier
    case number
    case duration
    case string
    case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
    case comma, colon, at
    case assign                      // `=` in label matchers
    case op(BinaryOp)                // + - * / % ^ == != > < >= <= and or unless atan2
    case matchOp(Matcher.Kind)       // != =~ !~ inside braces use the same spelling; `!=` is .op(.neq) outside
    case aggregator(AggregateOp)
    case keyword(Keyword)
}

/// Keywords that are not operators or aggregators.
enum Keyword: String, Sendable {
    case bool, by, without, on, ignoring, groupLeft = "group_left", groupRight = "group_right", offset
}

/// One lexed token with its byte offset in the query text.
struct Token: Sendable {
    var kind: TokenKind
    var text: Substring
    var start: Int
    var end: Int
    /// Set on the token where lexing failed; the parser reports it when it gets there, as
    /// Prometheus' parser does with its ERROR items.
    var lexError: ParseError?

    /// Prometheus' `Item.desc()`: how the token is named in "unexpected ..." messages.
    var describe: String {
        switch kind {
        case .eof: return "end of input"
        case .identifier: return "identifier \(goQuoted(String(text)))"
        case .metricIdentifier: return "metric identifier \(goQuoted(String(text)))"
        case .number: return "number \(shortQuote)"
        case .duration: return "duration \(shortQuote)"
        case .string: return "string \(shortQuote)"
        case .op: return "<op:\(text)>"
        case .matchOp: return "<op:\(text)>"
        case .aggregator: return "<aggr:\(text)>"
        case .keyword: return "<\(text)>"
        case .at: return "<@>"
        default: return goQuoted(String(text))
        }
    }

    private var shortQuote: String {
        let quoted = goQuoted(String(text))
        if text.count > 10 { return goQuoted(String(text.prefix(10))) + "..." }
        return quoted
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
