/// A regular expression in Go's `regexp` syntax (RE2), as Prometheus, Alertmanager and Go
/// templates interpret them, matched in time linear in the text (a Pike VM): a pattern such as
/// `(a+)+b` cannot make a query, a route or a probe hang, whatever text it meets.
///
/// Matching works on Unicode scalars (Go's runes), not grapheme clusters: `.` matches one scalar.
/// `\d`, `\s`, `\w` and `\b` are ASCII, as in Go. Capture positions are UTF-8 byte offsets.
public struct LinearRegex: Sendable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// Group names by number; index 0 is the whole match, nil for unnamed groups.
    public let groupNames: [String?]
    /// Shared, so a copy of the regex is three references whatever the program's size.
    private let compiled: CompiledProgram
    private var program: RegexProgram { compiled.program }

    /// Compiles `pattern`; throws for syntax RE2 does not accept (backreferences, lookaround),
    /// for nesting deeper than 200 and for programs over 50,000 instructions.
    public init(_ pattern: String) throws(RegexSyntaxError) {
        var parser = RegexParser(pattern)
        let node = try parser.parse()
        self.pattern = pattern
        groupNames = parser.groupNames
        compiled = CompiledProgram(try RegexProgram(node, groupCount: parser.groupNames.count, pattern: pattern))
    }

    public var description: String { pattern }

    /// Whether the whole of `text` matches (Prometheus' matchers are anchored this way).
    public func wholeMatches(_ text: String) -> Bool {
        LinearRegex.withUTF8(text) { RegexMachine(program, $0).matches(anchored: true, toEnd: true) }
    }

    /// Whether some part of `text` matches (Go's `MatchString`).
    public func containsMatch(_ text: String) -> Bool {
        LinearRegex.withUTF8(text) { RegexMachine(program, $0).matches(anchored: false, toEnd: false) }
    }

    /// Whether some part of `bytes` matches; bytes that are not UTF-8 read as U+FFFD.
    public func containsMatch(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { RegexMachine(program, $0).matches(anchored: false, toEnd: false) }
    }

    /// The match of the whole of `text`, with its groups, or nil.
    public func wholeMatch(_ text: String) -> RegexMatch? {
        LinearRegex.withUTF8(text) { buffer in
            RegexMachine(program, buffer).firstMatch(from: 0, anchored: true, toEnd: true)
                .map { RegexMatch(text: text, slots: $0) }
        }
    }

    /// Go's `ReplaceAllString`: every non-overlapping leftmost-first match replaced by `template`
    /// expanded for it (see `expand`); an empty match right after a match is not replaced.
    public func replaceAll(in text: String, with template: String) -> String {
        LinearRegex.withUTF8(text) { buffer in
            let machine = RegexMachine(program, buffer)
            var out: [UInt8] = []
            var lastEnd = 0, search = 0
            while search <= buffer.count, let slots = machine.firstMatch(from: search, anchored: false, toEnd: false) {
                out += buffer[lastEnd..<slots[0]]
                if slots[1] > lastEnd || slots[0] == 0 {
                    out += expand(template, RegexMatch(text: text, slots: slots)).utf8
                }
                lastEnd = slots[1]
                let width = RegexMachine.scalar(in: buffer, at: search)?.1 ?? 1
                search = search + width > slots[1] ? search + width : slots[1]
            }
            out += buffer[lastEnd...]
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Go's `Regexp.Expand`: `$1` and `${1}` are groups by number, `$name` and `${name}` by
    /// name (a name is the longest run of letters, digits and `_`, so `$1x` is the group named
    /// `1x`), `$$` is `$`; a group that did not match or does not exist gives nothing, and a `$`
    /// not followed by a valid reference stays as it is.
    public func expand(_ template: String, _ match: RegexMatch) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, after) = LinearRegex.reference(rest) else {
                out += "$"
                continue
            }
            rest = after
            if let number = LinearRegex.groupNumber(name) {
                if let group = match.group(number) { out += group }
            } else if let index = groupNames.firstIndex(where: { $0 == String(name) }), let group = match.group(index) {
                out += group
            }
        }
        return out + rest
    }

    /// The name after a `$` (`name` or `{name}`) and the text after it.
    private static func reference(_ text: Substring) -> (Substring, Substring)? {
        let braced = text.first == "{"
        let body = braced ? text.dropFirst() : text
        let name = body.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        guard !name.isEmpty else { return nil }
        var after = body[name.endIndex...]
        if braced {
            guard after.first == "}" else { return nil }
            after = after.dropFirst()
        }
        return (name, after)
    }

    /// A group number: ASCII digits without a leading zero, below 10^8; nil for names.
    private static func groupNumber(_ name: Substring) -> Int? {
        guard name.count <= 8, name.allSatisfy({ $0.isASCII && $0.isNumber }), name == "0" || name.first != "0" else { return nil }
        return Int(name)
    }

    private static func withUTF8<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var copy = text
        return copy.withUTF8(body)
    }
}

/// The immutable program a `LinearRegex` and its copies share.
private final class CompiledProgram: Sendable {
    let program: RegexProgram

    init(_ program: RegexProgram) { self.program = program }
}

/// One match: its groups as UTF-8 byte ranges of the text it was found in.
public struct RegexMatch: Sendable {
    private let text: String
    private let slots: [Int]

    init(text: String, slots: [Int]) {
        self.text = text
        self.slots = slots
    }

    /// The byte range of the whole match.
    public var range: Range<Int> { slots[0]..<slots[1] }

    /// The byte range of group `number` (0: the whole match), nil if it did not take part or does not exist.
    public func groupRange(_ number: Int) -> Range<Int>? {
        guard number >= 0, 2 * number + 1 < slots.count, slots[2 * number] >= 0, slots[2 * number + 1] >= 0 else { return nil }
        return slots[2 * number]..<slots[2 * number + 1]
    }

    /// The text of group `number` (0: the whole match), nil if it did not take part or does not exist.
    public func group(_ number: Int) -> String? {
        guard let range = groupRange(number) else { return nil }
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
        return String(text.utf8[start..<end]) ?? String(decoding: Array(text.utf8[start..<end]), as: UTF8.self)
    }
}
