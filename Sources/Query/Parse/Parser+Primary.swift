import Foundation
import Model

// Primary expressions, selectors and their postfix modifiers (`[range]`, `[range:step]`,
// `offset`, `@`).
extension Parser {
    mutating func parsePostfix() throws(ParseError) -> Parsed {
        var expr = try parsePrimary()
        while true {
            switch current.kind {
            case .leftBracket: expr = try parseRangeOrSubquery(expr)
            case .keyword(.offset): expr = try parseOffset(expr)
            case .at: expr = try parseAt(expr)
            default: return expr
            }
        }
    }

    mutating func parsePrimary() throws(ParseError) -> Parsed {
        let token = current
        switch token.kind {
        case .number:
            _ = advance()
            return Parsed(node: .number(try parseNumber(token)), start: token.start, end: token.end)
        case .string:
            _ = advance()
            return Parsed(node: .string(try unquote(token)), start: token.start, end: token.end)
        case .leftParen:
            _ = advance()
            let inner = try parseExpr(minPrecedence: 0)
            let close = try expect(.rightParen, context: "paren expression", expected: "\")\"")
            return Parsed(node: .paren(inner.node), start: token.start, end: close.end, depth: inner.depth + 1)
        case .leftBrace:
            return try parseSelector(name: "", start: token.start)
        case .identifier, .metricIdentifier:
            _ = advance()
            if token.kind == .identifier && current.kind == .leftParen {
                index -= 1
                return try parseCall()
            }
            return try parseSelector(name: String(token.text), start: token.start)
        case .aggregator:
            return try parseAggregate()
        default:
            throw unexpected()
        }
    }

    mutating func parseSelector(name: String, start: Int) throws(ParseError) -> Parsed {
        var matchers: [Matcher] = []
        var end = previousEnd
        if current.kind == .leftBrace {
            _ = advance()
            matchers = try parseMatchers()
            end = previousEnd
        }
        if !name.isEmpty {
            for matcher in matchers where matcher.name == Labels.metricName {
                throw error("metric name must not be set twice: \(goQuoted(name)) or \(goQuoted(matcher.value))", at: start)
            }
            matchers.append(try! Matcher(Labels.metricName, .equal, name))
        }
        if !matchers.contains(where: { !$0.matchesEmpty }) {
            throw error("vector selector must contain at least one non-empty matcher", at: start)
        }
        return Parsed(node: .vectorSelector(VectorSelector(name: name, matchers: matchers)), start: start, end: end)
    }

    mutating func parseMatchers() throws(ParseError) -> [Matcher] {
        var matchers: [Matcher] = []
        while current.kind != .rightBrace {
            guard current.kind == .identifier else {
                throw unexpected("label matching", expected: "identifier or \"}\"")
            }
            let name = String(advance().text)
            let kind: Matcher.Kind
            switch current.kind {
            case .assign: kind = .equal
            case .matchOp(let matchKind): kind = matchKind
            case .op(.neq): kind = .notEqual
            default: throw unexpected("label matching", expected: "label matching operator")
            }
            _ = advance()
            guard current.kind == .string else { throw unexpected("label matching", expected: "string") }
            let valueToken = advance()
            let value = try unquote(valueToken)
            do {
                matchers.append(try Matcher(name, kind, value))
            } catch {
                throw self.error("\(error)", at: valueToken.start)
            }
            if current.kind == .comma { _ = advance(); continue }
            guard current.kind == .rightBrace else { throw unexpected("label matching", expected: "\",\" or \"}\"") }
        }
        _ = advance()
        return matchers
    }

    mutating func parseRangeOrSubquery(_ expr: Parsed) throws(ParseError) -> Parsed {
        let bracket = advance().start
        let range: RangeLength
        if current.kind == .identifier && current.text == "today" {
            _ = advance()
            range = .today
        } else {
            guard current.kind == .duration else {
                if current.lexError != nil { throw unexpected() }
                throw error("missing unit character in duration", at: current.start)
            }
            range = .duration(try parseDuration(advance()))
        }
        if current.kind == .colon {
            _ = advance()
            guard case .duration(let length) = range else { throw error("unexpected \"today\" in subquery selector", at: expr.end) }
            var step: Int64 = 0
            if current.kind == .duration { step = try parseDuration(advance()) }
            let close = try expect(.rightBracket, context: "subquery selector", expected: "\"]\"")
            guard expr.node.type == .vector else {
                throw error("subquery is only allowed on instant vector, got \(expr.node.type.rawValue) instead", at: expr.start)
            }
            let sub = SubqueryExpr(expr: expr.node, range: length, step: step)
            return Parsed(node: .subquery(sub), start: expr.start, end: close.end, depth: expr.depth + 1)
        }
        let close = try expect(.rightBracket, context: "matrix selector", expected: "\"]\"")
        guard case .vectorSelector(let selector) = expr.node else {
            throw error("ranges only allowed for vector selectors", at: bracket)
        }
        if selector.offset != 0 { throw error("no offset modifiers allowed before range", at: bracket) }
        if selector.at != nil { throw error("no @ modifiers allowed before range", at: bracket) }
        return Parsed(node: .matrixSelector(selector, range), start: expr.start, end: close.end)
    }

    mutating func parseOffset(_ expr: Parsed) throws(ParseError) -> Parsed {
        _ = advance()
        var sign: Int64 = 1
        if current.kind == .op(.sub) { _ = advance(); sign = -1 } else if current.kind == .op(.add) { _ = advance() }
        guard current.kind == .duration || current.kind == .number else { throw unexpected("offset", expected: "duration") }
        let offset = sign * (try parseDuration(advance()))
        let end = previousEnd
        let tooMany = "offset may not be set multiple times"
        switch expr.node {
        case .vectorSelector(var selector):
            if selector.offset != 0 { throw error(tooMany, at: expr.start) }
            selector.offset = offset
            return Parsed(node: .vectorSelector(selector), start: expr.start, end: end)
        case .matrixSelector(var selector, let range):
            if selector.offset != 0 { throw error(tooMany, at: expr.start) }
            selector.offset = offset
            return Parsed(node: .matrixSelector(selector, range), start: expr.start, end: end)
        case .subquery(var sub):
            if sub.offset != 0 { throw error(tooMany, at: expr.start) }
            sub.offset = offset
            return Parsed(node: .subquery(sub), start: expr.start, end: end, depth: expr.depth)
        default:
            throw error("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: expr.start)
        }
    }

    mutating func parseAt(_ expr: Parsed) throws(ParseError) -> Parsed {
        _ = advance()
        let at: AtModifier
        if current.kind == .identifier && (current.text == "start" || current.text == "end") {
            let isStart = advance().text == "start"
            _ = try expect(.leftParen, context: "@", expected: "timestamp")
            _ = try expect(.rightParen, context: "@", expected: "\")\"")
            at = isStart ? .start : .end
        } else {
            var sign = 1.0
            if current.kind == .op(.sub) { _ = advance(); sign = -1 } else if current.kind == .op(.add) { _ = advance() }
            guard current.kind == .number else { throw unexpected("@", expected: "timestamp") }
            let token = advance()
            let seconds = sign * (try parseNumber(token))
            // Bounded well inside Int64 milliseconds, so time arithmetic cannot overflow.
            guard seconds.isFinite, abs(seconds) < 9.2e12 else {
                throw error("timestamp out of bounds for @ modifier: \(String(format: "%f", seconds))", at: token.start)
            }
            at = .timestamp(Int64((seconds * 1000).rounded(.toNearestOrAwayFromZero)))
        }
        let end = previousEnd
        let tooMany = "@ <timestamp> may not be set multiple times"
        switch expr.node {
        case .vectorSelector(var selector):
            if selector.at != nil { throw error(tooMany, at: expr.start) }
            selector.at = at
            return Parsed(node: .vectorSelector(selector), start: expr.start, end: end)
        case .matrixSelector(var selector, let range):
            if selector.at != nil { throw error(tooMany, at: expr.start) }
            selector.at = at
            return Parsed(node: .matrixSelector(selector, range), start: expr.start, end: end)
        case .subquery(var sub):
            if sub.at != nil { throw error(tooMany, at: expr.start) }
            sub.at = at
            return Parsed(node: .subquery(sub), start: expr.start, end: end, depth: expr.depth)
        default:
            throw error("@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", at: expr.start)
        }
    }

    func parseDuration(_ token: Token) throws(ParseError) -> Int64 {
        // Durations beyond ~290 years would let time arithmetic overflow.
        guard let ms = PromDuration.parse(String(token.text)), ms < 9_000_000_000_000 else {
            throw error("not a valid duration string: \(goQuoted(String(token.text)))", at: token.start)
        }
        return ms
    }

    /// Go's `strconv.ParseInt(s, 0, 64)` first (so `0x1f` and octal `010` work), then `ParseFloat`.
    func parseNumber(_ token: Token) throws(ParseError) -> Double {
        let text = String(token.text)
        let lower = text.lowercased()
        if lower.hasPrefix("0x"), let value = Int64(lower.dropFirst(2), radix: 16) { return Double(value) }
        if lower.count > 1, lower.hasPrefix("0"), lower.allSatisfy({ $0.isNumber }), let value = Int64(lower, radix: 8) {
            return Double(value)
        }
        if let value = Int64(text) { return Double(value) }
        if lower == "inf" || lower == "+inf" { return .infinity }
        if lower == "nan" { return .nan }
        guard let value = Double(text) else {
            throw error("error parsing number: strconv.ParseFloat: parsing \(goQuoted(text)): invalid syntax", at: token.start)
        }
        return value
    }

    /// Go's `strconv.Unquote` for the three PromQL quote styles.
    func unquote(_ token: Token) throws(ParseError) -> String {
        let raw = Array(token.text.unicodeScalars)
        let quote = raw[0]
        let body = raw[1..<(raw.count - 1)]
        if quote == "`" { return String(String.UnicodeScalarView(body)) }
        var out = String.UnicodeScalarView()
        var i = body.startIndex
        func fail() -> ParseError { error("invalid syntax", at: token.start) }
        while i < body.endIndex {
            let c = body[i]
            i += 1
            guard c == "\\" else { out.append(c); continue }
            guard i < body.endIndex else { throw fail() }
            let e = body[i]
            i += 1
            switch e {
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "\\": out.append("\\")
            case "'", "\"":
                guard e == quote else { throw fail() }
                out.append(e)
            case "x", "u", "U":
                let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                // Exactly `width` hex digits: `UInt32(_:radix:)` alone would take a sign (`\x+1`).
                guard i + width <= body.endIndex, body[i..<(i + width)].allSatisfy({ $0.properties.isASCIIHexDigit }),
                      let value = UInt32(String(String.UnicodeScalarView(body[i..<(i + width)])), radix: 16),
                      let scalar = Unicode.Scalar(value) else { throw fail() }
                out.append(scalar)
                i += width
            case "0"..."7":
                guard i + 2 <= body.endIndex, body[i..<(i + 2)].allSatisfy({ ("0"..."7").contains($0) }),
                      let value = UInt32(String(String.UnicodeScalarView(body[(i - 1)..<(i + 2)])), radix: 8),
                      value < 256, let scalar = Unicode.Scalar(value) else { throw fail() }
                out.append(scalar)
                i += 2
            default:
                let code = String(e.value, radix: 16, uppercase: true).leftPadded(to: 4)
                throw error("unknown escape sequence U+\(code) '\(e)'", at: token.start)
            }
        }
        return String(out)
    }
}
