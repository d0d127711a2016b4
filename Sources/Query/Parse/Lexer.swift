import Model

/// Splits PromQL text into tokens. Works on UTF-8 bytes; positions are byte offsets, as in
/// Prometheus, so error columns match promtool's.
struct Lexer {
    private let text: String
    private let bytes: [UInt8]
    private var pos = 0
    private var parenDepth = 0
    private var braceOpen = false
    private var bracketOpen = false
    private var colonInBrackets = false

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    private static let keywords: [String: TokenKind] = [
        "and": .op(.land), "or": .op(.lor), "unless": .op(.lunless), "atan2": .op(.atan2),
        "bool": .keyword(.bool), "by": .keyword(.by), "without": .keyword(.without), "on": .keyword(.on),
        "ignoring": .keyword(.ignoring), "group_left": .keyword(.groupLeft),
        "group_right": .keyword(.groupRight), "offset": .keyword(.offset),
        "inf": .number, "nan": .number,
    ].merging(AggregateOp.allCases.map { ($0.rawValue, TokenKind.aggregator($0)) }) { a, _ in a }

    /// The next token; a lexical error comes back as an `.eof` token carrying `lexError`.
    mutating func nextToken() -> Token {
        do {
            return try next()
        } catch {
            return Token(kind: .eof, text: "", start: error.column - 1, end: error.column - 1, lexError: error)
        }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        pos + offset < bytes.count ? bytes[pos + offset] : nil
    }

    private func substring(_ start: Int, _ end: Int) -> Substring {
        let utf8 = text.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: start)
        let to = utf8.index(from, offsetBy: end - start)
        return text[from..<to]
    }

    private func error(_ message: String, at offset: Int) -> ParseError {
        ParseError(message: message, offset: offset, in: text)
    }

    private func token(_ kind: TokenKind, from start: Int) -> Token {
        Token(kind: kind, text: substring(start, pos), start: start, end: pos)
    }

    private mutating func next() throws(ParseError) -> Token {
        skipSpaceAndComments()
        let start = pos
        guard let c = peek() else {
            if braceOpen { throw error("unexpected end of input inside braces", at: pos) }
            if bracketOpen { throw error("unclosed left bracket", at: pos) }
            if parenDepth > 0 { throw error("unclosed left parenthesis", at: pos) }
            return token(.eof, from: start)
        }
        if braceOpen, !(c.isIdentifierStart || "\"'`,=!~}".utf8.contains(c)) {
            let scalar = String(substring(start, bytes.count)).unicodeScalars.first!
            throw error("unexpected character inside braces: \(quoteRune(scalar))", at: start)
        }
        if bracketOpen, c.isDigit { return try lexDurationInBrackets() }
        if c.isDigit || (c == UInt8(ascii: ".") && (peek(1)?.isDigit ?? false)) {
            return try lexNumberOrDuration()
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "`") {
            return try lexString(quote: c)
        }
        if c.isIdentifierStart || (c == UInt8(ascii: ":") && !bracketOpen && !braceOpen) {
            return lexIdentifier()
        }
        pos += 1
        return try lexPunctuation(c, start: start)
    }

    /// Brackets, separators and operators; `c` (at `start`) is already consumed.
    private mutating func lexPunctuation(_ c: UInt8, start: Int) throws(ParseError) -> Token {
        switch c {
        case UInt8(ascii: "("): parenDepth += 1; return token(.leftParen, from: start)
        case UInt8(ascii: ")"):
            // Prometheus reports this one just after the parenthesis.
            guard parenDepth > 0 else { throw error("unexpected right parenthesis ')'", at: start + 1) }
            parenDepth -= 1
            return token(.rightParen, from: start)
        case UInt8(ascii: "{"):
            guard !braceOpen else { throw error("unexpected left brace '{'", at: start) }
            braceOpen = true
            return token(.leftBrace, from: start)
        case UInt8(ascii: "}"):
            guard braceOpen else { throw error("unexpected character: '}'", at: start) }
            braceOpen = false
            return token(.rightBrace, from: start)
        case UInt8(ascii: "["):
            guard !bracketOpen else { throw error("unexpected left bracket '['", at: start) }
            bracketOpen = true
            colonInBrackets = false
            return token(.leftBracket, from: start)
        case UInt8(ascii: "]"):
            guard bracketOpen else { throw error("unexpected right bracket ']'", at: start) }
            bracketOpen = false
            return token(.rightBracket, from: start)
        case UInt8(ascii: ","): return token(.comma, from: start)
        case UInt8(ascii: ":"):
            guard !colonInBrackets else { throw error("unexpected colon ':'", at: start) }
            colonInBrackets = bracketOpen
            return token(.colon, from: start)
        case UInt8(ascii: "@"): return token(.at, from: start)
        case UInt8(ascii: "+"): return token(.op(.add), from: start)
        case UInt8(ascii: "-"): return token(.op(.sub), from: start)
        case UInt8(ascii: "*"): return token(.op(.mul), from: start)
        case UInt8(ascii: "/"): return token(.op(.div), from: start)
        case UInt8(ascii: "%"): return token(.op(.mod), from: start)
        case UInt8(ascii: "^"): return token(.op(.pow), from: start)
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "=") { pos += 1; return token(.op(.eql), from: start) }
            if peek() == UInt8(ascii: "~") {
                guard braceOpen else { throw error("unexpected character after '=': '~'", at: start) }
                pos += 1
                return token(.matchOp(.regexMatch), from: start)
            }
            return token(.assign, from: start)
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") { pos += 1; return token(braceOpen ? .matchOp(.notEqual) : .op(.neq), from: start) }
            if peek() == UInt8(ascii: "~"), braceOpen { pos += 1; return token(.matchOp(.regexNoMatch), from: start) }
            if braceOpen { throw error("unexpected character after '!' inside braces: \(quoteRune(peek()))", at: start) }
            throw error("unexpected character after '!': \(quoteRune(peek()))", at: start)
        case UInt8(ascii: "<"):
            if peek() == UInt8(ascii: "=") { pos += 1; return token(.op(.lte), from: start) }
            return token(.op(.lss), from: start)
        case UInt8(ascii: ">"):
            if peek() == UInt8(ascii: "=") { pos += 1; return token(.op(.gte), from: start) }
            return token(.op(.gtr), from: start)
        default:
            pos = start
            let scalar = String(substring(start, bytes.count)).unicodeScalars.first!
            throw error("unexpected character: \(quoteRune(scalar))", at: start)
        }
    }

    private func quoteRune(_ byte: UInt8?) -> String {
        guard let byte else { return "'\\x00'" }
        return quoteRune(Unicode.Scalar(byte))
    }

    private func quoteRune(_ scalar: Unicode.Scalar) -> String {
        let inner = goQuoted(String(scalar)).dropFirst().dropLast()
        return "'\(inner == "\\\"" ? "\"" : String(inner))'"
    }

    private mutating func skipSpaceAndComments() {
        while let c = peek() {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                pos += 1
            } else if c == UInt8(ascii: "#") && !braceOpen {
                while let d = peek(), d != UInt8(ascii: "\n") { pos += 1 }
            } else {
                return
            }
        }
    }

    private mutating func lexIdentifier() -> Token {
        let start = pos
        var hasColon = false
        while let c = peek(), c.isIdentifierStart || c.isDigit || c == UInt8(ascii: ":") {
            if c == UInt8(ascii: ":") {
                if bracketOpen { break }
                hasColon = true
            }
            pos += 1
        }
        let word = String(substring(start, pos))
        if !braceOpen, let kind = Lexer.keywords[word.lowercased()] { return token(kind, from: start) }
        return token(hasColon ? .metricIdentifier : .identifier, from: start)
    }

    private mutating func acceptRun(_ isMember: (UInt8) -> Bool) {
        while let c = peek(), isMember(c) { pos += 1 }
    }

    private mutating func lexNumberOrDuration() throws(ParseError) -> Token {
        let start = pos
        var isHex = false
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            pos += 2
            isHex = true
        }
        acceptRun { isHex ? $0.isHexDigit : $0.isDigit }
        if peek() == UInt8(ascii: ".") { pos += 1; acceptRun { isHex ? $0.isHexDigit : $0.isDigit } }
        if !isHex, let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            pos += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { pos += 1 }
            acceptRun { $0.isDigit }
        }
        if !(peek()?.isAlphaNumeric ?? false) { return token(.number, from: start) }
        // Not a plain number: try a duration such as 5m or 1h30m.
        pos = start
        acceptRun { $0.isDigit }
        if acceptRemainingDuration() { return token(.duration, from: start) }
        while let c = peek(), c.isAlphaNumeric || c == UInt8(ascii: ".") { pos += 1 }
        throw error("bad number or duration syntax: \(goQuoted(String(substring(start, pos))))", at: start)
    }

    /// Inside `[...]` only durations are numbers: `[5m]`, `[1h30m:1m]`.
    private mutating func lexDurationInBrackets() throws(ParseError) -> Token {
        let start = pos
        acceptRun { $0.isDigit }
        let digitsEnd = pos
        if acceptRemainingDuration() { return token(.duration, from: start) }
        throw error("bad duration syntax: \(goQuoted(String(substring(start, digitsEnd))))", at: start)
    }

    private mutating func acceptUnit(_ units: String) -> Bool {
        guard let c = peek(), units.utf8.contains(c) else { return false }
        pos += 1
        if peek() == UInt8(ascii: "s") { pos += 1 }
        return true
    }

    private mutating func acceptRemainingDuration() -> Bool {
        guard acceptUnit("smhdwy") else { return false }
        while let c = peek(), c.isDigit {
            acceptRun { $0.isDigit }
            guard acceptUnit("smhdw") else { return false }
        }
        return !(peek()?.isAlphaNumeric ?? false)
    }

    private mutating func lexString(quote: UInt8) throws(ParseError) -> Token {
        let start = pos
        pos += 1
        while true {
            guard let c = peek() else {
                throw error(quote == UInt8(ascii: "`") ? "unterminated raw string" : "unterminated quoted string", at: start)
            }
            pos += 1
            if c == quote { return token(.string, from: start) }
            if quote == UInt8(ascii: "`") { continue }
            if c == UInt8(ascii: "\n") { throw error("unterminated quoted string", at: start) }
            if c == UInt8(ascii: "\\") {
                guard peek() != nil else { throw error("escape sequence not terminated", at: start) }
                pos += 1
            }
        }
    }
}

extension UInt8 {
    var isDigit: Bool { self >= 48 && self <= 57 }
    var isHexDigit: Bool { isDigit || (self >= 97 && self <= 102) || (self >= 65 && self <= 70) }
    var isIdentifierStart: Bool { (self >= 97 && self <= 122) || (self >= 65 && self <= 90) || self == 95 }
    var isAlphaNumeric: Bool { isIdentifierStart || isDigit }
}
