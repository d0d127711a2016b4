/// A token inside `{{ … }}`.
struct TemplateToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)      // function name or keyword
        case field(String)           // `.Name`
        case dot                     // `.`
        case variable(String)        // `$name` (`$` alone is the root)
        case string(String)
        case number(String)
        case char(Int)
        case pipe, leftParen, rightParen, declare, assign, comma
    }
    var kind: Kind
    var offset: Int
    /// Whether whitespace separates this token from the previous one (`$x.y` is a chain, `$x .y` two operands).
    var spaced: Bool
}

/// A piece of the template source: literal text, or the tokens of one action.
enum TemplateSegment: Sendable {
    case text(String)
    case action([TemplateToken], offset: Int, source: String)
}

/// A parse error with its 1-based position in the template text.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line within the template text.
    public var line: Int
    /// 1-based column (in characters) within the line.
    public var column: Int
    /// What is wrong, in Go's words where Go has words for it.
    public var message: String

    public var description: String { "\(line):\(column): \(message)" }

    init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    init(_ message: String, at offset: Int, in text: [Character]) {
        var line = 1, column = 1
        for ch in text.prefix(offset) {
            if ch.isNewline { line += 1; column = 1 } else { column += 1 }
        }
        self.line = line
        self.column = column
        self.message = message
    }
}

/// Splits template text into text and action segments, applying `{{-` / `-}}` trimming.
struct TemplateLexer {
    let chars: [Character]
    private var pos = 0

    init(_ text: String) { chars = Array(text) }

    mutating func segments() throws(TemplateError) -> [TemplateSegment] {
        var out: [TemplateSegment] = []
        var trimNextText = false
        while pos < chars.count {
            guard let open = find("{{", from: pos) else {
                appendText(String(chars[pos...]), trimLeading: trimNextText, trimTrailing: false, to: &out)
                break
            }
            let trimLeft = open + 3 < chars.count && chars[open + 2] == "-" && chars[open + 3].isTemplateSpace
            appendText(String(chars[pos..<open]), trimLeading: trimNextText, trimTrailing: trimLeft, to: &out)
            var start = open + 2 + (trimLeft ? 2 : 0)
            while start < chars.count, chars[start].isTemplateSpace { start += 1 }
            if hasPrefix("/*", at: start) {
                guard let close = find("*/", from: start + 2) else { throw error("unclosed comment", at: open) }
                pos = close + 2
                let (end, trimRight) = try closeDelimiter(at: pos, open: open, comment: true)
                pos = end
                trimNextText = trimRight
                continue
            }
            pos = start
            let tokens = try actionTokens(open: open)
            let source = String(chars[start..<max(start, actionEnd)]).trimmingTemplateSpace()
            out.append(.action(tokens, offset: open, source: source))
            trimNextText = actionTrimRight
        }
        return out
    }

    private var actionEnd = 0
    private var actionTrimRight = false

    private mutating func appendText(_ text: String, trimLeading: Bool, trimTrailing: Bool, to out: inout [TemplateSegment]) {
        var t = Substring(text)
        if trimLeading { t = t.drop { $0.isTemplateSpace } }
        if trimTrailing { while let last = t.last, last.isTemplateSpace { t = t.dropLast() } }
        if !t.isEmpty { out.append(.text(String(t))) }
    }

    /// At `at` expects optional spaces, optional ` -`, then `}}`; returns the index after `}}`.
    private func closeDelimiter(at: Int, open: Int, comment: Bool) throws(TemplateError) -> (Int, Bool) {
        var i = at
        var sawSpace = false
        while i < chars.count, chars[i].isTemplateSpace { i += 1; sawSpace = true }
        if sawSpace, hasPrefix("-}}", at: i) { return (i + 3, true) }
        if hasPrefix("}}", at: i) { return (i + 2, false) }
        throw error(comment ? "comment ends before closing delimiter" : "unclosed action", at: open)
    }

    private mutating func actionTokens(open: Int) throws(TemplateError) -> [TemplateToken] {
        var tokens: [TemplateToken] = []
        var spaced = true
        while true {
            guard pos < chars.count else { throw error("unclosed action", at: open) }
            let ch = chars[pos]
            if ch.isTemplateSpace {
                if hasPrefix(" -}}", at: pos) || (ch != " " && hasPrefix("-}}", at: pos + 1)) {
                    actionEnd = pos; pos += 4; actionTrimRight = true; return tokens
                }
                pos += 1; spaced = true; continue
            }
            if hasPrefix("}}", at: pos) {
                actionEnd = pos; pos += 2; actionTrimRight = false; return tokens
            }
            if ch == "\n" { throw error("unclosed action", at: open) }
            let start = pos
            let kind = try lexToken()
            tokens.append(TemplateToken(kind: kind, offset: start, spaced: spaced))
            spaced = false
        }
    }

    private mutating func lexToken() throws(TemplateError) -> TemplateToken.Kind {
        let start = pos
        let ch = chars[pos]
        switch ch {
        case "|": pos += 1; return .pipe
        case "(": pos += 1; return .leftParen
        case ")": pos += 1; return .rightParen
        case ",": pos += 1; return .comma
        case "=": pos += 1; return .assign
        case ":":
            guard hasPrefix(":=", at: pos) else { throw error("expected :=", at: pos) }
            pos += 2; return .declare
        case "\"": return .string(try lexQuoted())
        case "`":
            guard let close = chars[(pos + 1)...].firstIndex(of: "`") else { throw error("unterminated raw quoted string", at: pos) }
            let s = String(chars[(pos + 1)..<close]); pos = close + 1; return .string(s)
        case "'": return .char(try lexChar())
        case "$":
            pos += 1
            let name = word()
            return .variable("$" + name)
        case ".":
            if pos + 1 < chars.count, chars[pos + 1].isNumber { return .number(number()) }
            pos += 1
            let name = word()
            return name.isEmpty ? .dot : .field(name)
        default:
            if ch.isNumber || ((ch == "-" || ch == "+") && pos + 1 < chars.count && (chars[pos + 1].isNumber || chars[pos + 1] == ".")) {
                return .number(number())
            }
            if ch.isLetter || ch == "_" { return .identifier(word()) }
            throw error("unexpected \"\(ch)\" in command", at: start)
        }
    }

    private mutating func word() -> String {
        let start = pos
        while pos < chars.count, chars[pos].isLetter || chars[pos].isNumber || chars[pos] == "_" { pos += 1 }
        return String(chars[start..<pos])
    }

    private mutating func number() -> String {
        let start = pos
        if chars[pos] == "+" || chars[pos] == "-" { pos += 1 }
        while pos < chars.count {
            let c = chars[pos]
            if c.isLetter || c.isNumber || c == "." || c == "_" { pos += 1; continue }
            if (c == "+" || c == "-"), let prev = chars[pos - 1].lowercased().first, prev == "e" || prev == "p" { pos += 1; continue }
            break
        }
        return String(chars[start..<pos])
    }

    private mutating func lexQuoted() throws(TemplateError) -> String {
        let start = pos
        pos += 1
        var out = ""
        while pos < chars.count {
            let c = chars[pos]
            if c == "\"" { pos += 1; return out }
            if c == "\n" { break }
            if c == "\\" {
                pos += 1
                guard pos < chars.count else { break }
                out.append(try escape(chars[pos], start: start))
            } else {
                out.append(c)
            }
            pos += 1
        }
        throw error("unterminated quoted string", at: start)
    }

    private mutating func escape(_ c: Character, start: Int) throws(TemplateError) -> Character {
        switch c {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "\\": return "\\"
        case "\"": return "\""
        case "'": return "'"
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "v": return "\u{0B}"
        case "x", "u", "U":
            let width = c == "x" ? 2 : (c == "u" ? 4 : 8)
            guard pos + width < chars.count, let code = UInt32(String(chars[(pos + 1)...(pos + width)]), radix: 16),
                  let scalar = Unicode.Scalar(code) else { throw error("invalid syntax", at: start) }
            pos += width
            return Character(scalar)
        default: throw error("invalid syntax", at: start)
        }
    }

    private mutating func lexChar() throws(TemplateError) -> Int {
        let start = pos
        pos += 1
        guard pos < chars.count else { throw error("unterminated character constant", at: start) }
        var c = chars[pos]
        if c == "\\" { pos += 1; guard pos < chars.count else { throw error("unterminated character constant", at: start) }; c = try escape(chars[pos], start: start) }
        pos += 1
        guard pos < chars.count, chars[pos] == "'" else { throw error("unterminated character constant", at: start) }
        pos += 1
        return Int(c.unicodeScalars.first!.value)
    }

    private func find(_ needle: String, from: Int) -> Int? {
        let n = Array(needle)
        var i = from
        while i + n.count <= chars.count {
            if chars[i] == n[0] && Array(chars[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }

    private func hasPrefix(_ s: String, at: Int) -> Bool {
        var i = at
        for c in s {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
        }
        return true
    }

    private func error(_ message: String, at offset: Int) -> TemplateError {
        TemplateError(message, at: offset, in: chars)
    }
}

extension Character {
    var isTemplateSpace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\r\n" }
}

extension String {
    func trimmingTemplateSpace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isTemplateSpace { s = s.dropFirst() }
        while let l = s.last, l.isTemplateSpace { s = s.dropLast() }
        return String(s)
    }
}
