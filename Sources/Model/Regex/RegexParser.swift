/// Parses Go's `regexp` syntax (RE2, Perl flags), which Prometheus, Alertmanager and Go
/// templates use: literals, `.`, classes with ranges, POSIX names and `\d \s \w` (ASCII),
/// `\pL`-style general categories, anchors `^ $ \A \z \b \B`, groups `(…)`, `(?:…)`,
/// `(?P<name>…)`, `(?<name>…)`, flags `(?imsU-imsU)` and `(?flags:…)`, repetition `* + ? {n,m}`
/// (greedy or lazy, at most 1000), `\Q…\E`, and the escapes `\a \f \t \n \r \v \x.. \x{..}` and octal.
/// Backreferences and lookaround are refused, as RE2 refuses them: they cannot run in linear time.
struct RegexParser {
    private struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotNewline = false
        var ungreedy = false
    }

    /// Deeper nesting is refused: parsing and compiling recurse once per level.
    static let maxDepth = 200
    static let maxRepeat = 1000

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var flags = Flags()
    private var depth = 0
    private(set) var groupNames: [String?] = [nil]   // index 0: the whole match

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        let node = try parseAlternation()
        if position < scalars.count {   // only a `)` stops the top level early
            throw RegexSyntaxError("unexpected )", text(from: 0))
        }
        return node
    }

    // MARK: Structure

    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= RegexParser.maxDepth else { throw RegexSyntaxError("expression nests too deeply", text(from: 0)) }
        var branches = [try parseConcat()]
        while peek == "|" {
            position += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func parseConcat() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let next = peek, next != "|", next != ")" {
            let start = position
            if next == "(" , let flagsOnly = try parseFlagsOnly() {
                if flagsOnly { continue }
            }
            position = start
            var atom = try parseAtom()
            var repeated = false
            while let (min, max, greedy) = try parseRepeat(after: start) {
                if repeated { throw RegexSyntaxError("invalid nested repetition operator", text(from: start)) }
                atom = .loop(atom, min: min, max: max, greedy: greedy)
                repeated = true
            }
            items.append(atom)
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// A repetition operator after an atom, or nil. `start`: where the atom began (for errors).
    private mutating func parseRepeat(after start: Int) throws(RegexSyntaxError) -> (Int, Int?, Bool)? {
        guard let next = peek else { return nil }
        var min = 0, max: Int?
        switch next {
        case "*": position += 1
        case "+": position += 1; min = 1
        case "?": position += 1; max = 1
        case "{":
            guard let (low, high, end) = repeatCount(at: position) else { return nil }   // a literal `{`
            guard low <= RegexParser.maxRepeat, (high ?? low) <= RegexParser.maxRepeat, high.map({ $0 >= low }) ?? true else {
                throw RegexSyntaxError("invalid repeat count", text(from: position, to: end))
            }
            position = end
            min = low
            max = high
        default: return nil
        }
        var greedy = !flags.ungreedy
        if peek == "?" {
            position += 1
            greedy.toggle()
        }
        return (min, max, greedy)
    }

    /// `{n}`, `{n,}` or `{n,m}` at `index`: the bounds and where it ends; nil if it is not one.
    private func repeatCount(at index: Int) -> (Int, Int?, Int)? {
        var i = index + 1
        func number() -> Int? {
            let begin = i
            var value = 0
            while i < scalars.count, ("0"..."9").contains(scalars[i]) {
                value = min(value * 10 + Int(scalars[i].value - 0x30), 100_000)
                i += 1
            }
            return i > begin ? value : nil
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if i < scalars.count, scalars[i] == "," {
            i += 1
            high = i < scalars.count && scalars[i] == "}" ? nil : number()
            if high == nil, !(i < scalars.count && scalars[i] == "}") { return nil }
        }
        guard i < scalars.count, scalars[i] == "}" else { return nil }
        return (low, high, i + 1)
    }

    /// At `(`: handles `(?flags)` (true: consumed, no atom) or returns false/nil for groups.
    private mutating func parseFlagsOnly() throws(RegexSyntaxError) -> Bool? {
        guard position + 1 < scalars.count, scalars[position + 1] == "?" else { return nil }
        let start = position
        var i = position + 2
        var newFlags = flags, negate = false, sawFlag = false
        while i < scalars.count {
            switch scalars[i] {
            case "i": newFlags.caseInsensitive = !negate
            case "m": newFlags.multiLine = !negate
            case "s": newFlags.dotNewline = !negate
            case "U": newFlags.ungreedy = !negate
            case "-":
                guard !negate else { throw RegexSyntaxError("invalid or unsupported Perl syntax", text(from: start, to: i + 1)) }
                negate = true
                sawFlag = false
                i += 1
                continue
            case ")":
                guard sawFlag || !negate, i > start + 2 else {
                    throw RegexSyntaxError("invalid or unsupported Perl syntax", text(from: start, to: i + 1))
                }
                flags = newFlags
                position = i + 1
                return true
            case ":":
                guard sawFlag || !negate else {
                    throw RegexSyntaxError("invalid or unsupported Perl syntax", text(from: start, to: i + 1))
                }
                return false   // a group with flags: parseAtom handles it
            default:
                if i == start + 2 { return false }   // `(?:`, `(?P<`, `(?<` or an error: parseAtom decides
                throw RegexSyntaxError("invalid or unsupported Perl syntax", text(from: start, to: i + 1))
            }
            sawFlag = true
            i += 1
        }
        throw RegexSyntaxError("missing closing )", text(from: start))
    }

    // MARK: Atoms

    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode {
        let start = position
        let next = scalars[position]
        position += 1
        switch next {
        case "(": return try parseGroup(start: start)
        case "[": return try parseClass(start: start)
        case ".": return .any(newline: flags.dotNewline)
        case "^": return .assertion(flags.multiLine ? .beginLine : .beginText)
        case "$": return .assertion(flags.multiLine ? .endLine : .endText)
        case "*", "+", "?":
            throw RegexSyntaxError("missing argument to repetition operator", text(from: start, to: position))
        case "{":
            if repeatCount(at: start) != nil {
                throw RegexSyntaxError("missing argument to repetition operator", text(from: start, to: position))
            }
            return literal(next)
        case "\\": return try parseEscape(start: start)
        default: return literal(next)
        }
    }

    private func literal(_ scalar: Unicode.Scalar) -> RegexNode {
        var set = CharClass.scalar(scalar.value)
        if flags.caseInsensitive { set.addCaseVariants() }
        return .set(set)
    }

    private mutating func parseGroup(start: Int) throws(RegexSyntaxError) -> RegexNode {
        let saved = flags
        defer { flags = saved }
        var captureName: String?
        var capturing = true
        if peek == "?" {
            position += 1
            if peek == "P" || peek == "<" {
                if peek == "P" { position += 1 }
                guard peek == "<" else { throw RegexSyntaxError("invalid or unsupported Perl syntax", text(from: start, to: position + 1)) }
                position += 1
                let nameStart = position
                while let c = peek, c != ">" { position += 1; _ = c }
                guard peek == ">" else { throw RegexSyntaxError("invalid named capture", text(from: start)) }
                let name = text(from: nameStart, to: position)
                position += 1
                guard !name.isEmpty, name.unicodeScalars.allSatisfy(RegexParser.isWordScalar) else {
                    throw RegexSyntaxError("invalid named capture", text(from: start, to: position))
                }
                captureName = name
            } else {
                var negate = false
                while let c = peek, c != ":" {
                    switch c {
                    case "i": flags.caseInsensitive = !negate
                    case "m": flags.multiLine = !negate
                    case "s": flags.dotNewline = !negate
                    case "U": flags.ungreedy = !negate
                    case "-" where !negate: negate = true
                    default: throw RegexSyntaxError("invalid or unsupported Perl syntax", text(from: start, to: position + 1))
                    }
                    position += 1
                }
                guard peek == ":" else { throw RegexSyntaxError("missing closing )", text(from: start)) }
                position += 1
                capturing = false
            }
        }
        var index = 0
        if capturing {
            index = groupNames.count
            groupNames.append(captureName)
        }
        let body = try parseAlternation()
        guard peek == ")" else { throw RegexSyntaxError("missing closing )", text(from: start)) }
        position += 1
        return capturing ? .capture(body, index: index) : body
    }

    // MARK: Escapes

    private mutating func parseEscape(start: Int) throws(RegexSyntaxError) -> RegexNode {
        guard let next = peek else { throw RegexSyntaxError("trailing backslash at end of expression", "") }
        switch next {
        case "A": position += 1; return .assertion(.beginText)
        case "z": position += 1; return .assertion(.endText)
        case "b": position += 1; return .assertion(.wordBoundary)
        case "B": position += 1; return .assertion(.notWordBoundary)
        case "Q":
            position += 1
            var items: [RegexNode] = []
            while position < scalars.count {
                if scalars[position] == "\\", position + 1 < scalars.count, scalars[position + 1] == "E" {
                    position += 2
                    break
                }
                items.append(literal(scalars[position]))
                position += 1
            }
            return items.isEmpty ? .empty : .concat(items)
        case "d", "D", "s", "S", "w", "W":
            position += 1
            var set = CharClass.perl(Character(next))!
            if flags.caseInsensitive { set.addCaseVariants() }
            return .set(set)
        case "p", "P":
            return .set(try parseUnicodeClass(start: start))
        default:
            return literal(try parseEscapedScalar(start: start))
        }
    }

    /// A single escaped scalar (the backslash consumed): `\n`, `\x41`, `\x{263a}`, `\101`, `\.`.
    private mutating func parseEscapedScalar(start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        guard let next = peek else { throw RegexSyntaxError("trailing backslash at end of expression", "") }
        position += 1
        switch next {
        case "a": return Unicode.Scalar(7)
        case "f": return Unicode.Scalar(12)
        case "t": return Unicode.Scalar(9)
        case "n": return Unicode.Scalar(10)
        case "r": return Unicode.Scalar(13)
        case "v": return Unicode.Scalar(11)
        case "0"..."7":
            // Octal: `\0`, or two or three digits (a single `\1`-`\7` would be a backreference).
            if next != "0", !(peek.map { ("0"..."7").contains($0) } ?? false) {
                throw RegexSyntaxError("invalid escape sequence", text(from: start, to: position))
            }
            var value = next.value - 0x30
            for _ in 0..<2 {
                guard let digit = peek, ("0"..."7").contains(digit) else { break }
                value = value * 8 + digit.value - 0x30
                position += 1
            }
            return Unicode.Scalar(value)!
        case "x":
            var value: UInt32 = 0
            if peek == "{" {
                position += 1
                var digits = 0
                while let c = peek, let digit = RegexParser.hexValue(c) {
                    value = value * 16 + digit
                    digits += 1
                    position += 1
                    if value > CharClass.maxScalar { break }
                }
                guard peek == "}", digits > 0, let scalar = Unicode.Scalar(value) else {
                    throw RegexSyntaxError("invalid escape sequence", text(from: start, to: min(position + 1, scalars.count)))
                }
                position += 1
                return scalar
            }
            for _ in 0..<2 {
                guard let c = peek, let digit = RegexParser.hexValue(c) else {
                    throw RegexSyntaxError("invalid escape sequence", text(from: start, to: min(position + 1, scalars.count)))
                }
                value = value * 16 + digit
                position += 1
            }
            return Unicode.Scalar(value)!
        default:
            // Punctuation escapes itself; letters and digits without a meaning are errors.
            if next.isASCII, !RegexParser.isWordScalar(next) { return next }
            throw RegexSyntaxError("invalid escape sequence", text(from: start, to: position))
        }
    }

    /// `\pL`, `\p{Lu}`, `\PL`, `\p{^L}` (the `\` consumed, at `p` or `P`).
    private mutating func parseUnicodeClass(start: Int) throws(RegexSyntaxError) -> CharClass {
        var excluded = scalars[position] == "P"
        position += 1
        var name: String
        if peek == "{" {
            let nameStart = position + 1
            while let c = peek, c != "}" { position += 1; _ = c }
            guard peek == "}" else { throw RegexSyntaxError("invalid character class range", text(from: start)) }
            name = text(from: nameStart, to: position)
            position += 1
            if name.hasPrefix("^") {
                excluded.toggle()
                name.removeFirst()
            }
        } else {
            guard let letter = peek else { throw RegexSyntaxError("invalid character class range", text(from: start)) }
            name = String(letter)
            position += 1
        }
        guard var set = CharClass.unicode(name, excluded: excluded) else {
            throw RegexSyntaxError("invalid character class range (general categories only)", text(from: start, to: position))
        }
        if flags.caseInsensitive { set.addCaseVariants() }
        return set
    }

    // MARK: Classes

    private mutating func parseClass(start: Int) throws(RegexSyntaxError) -> RegexNode {
        var set = CharClass()
        if peek == "^" {
            set.negated = true
            position += 1
        }
        var first = true
        while true {
            guard let next = peek else { throw RegexSyntaxError("missing closing ]", text(from: start)) }
            if next == "]", !first { position += 1; break }
            first = false
            let itemStart = position
            // `[:alpha:]` and `[:^alpha:]`.
            if next == "[", position + 1 < scalars.count, scalars[position + 1] == ":",
               let close = findPOSIXEnd(from: position + 2) {
                var name = text(from: position + 2, to: close)
                let negated = name.hasPrefix("^")
                if negated { name.removeFirst() }
                guard let ranges = CharClass.posix(name) else {
                    throw RegexSyntaxError("invalid character class range", text(from: itemStart, to: close + 2))
                }
                var posix = CharClass(ranges)
                posix.negated = negated
                set.add(posix)
                position = close + 2
                continue
            }
            if next == "\\", position + 1 < scalars.count {
                let letter = scalars[position + 1]
                if let perl = CharClass.perl(Character(letter)) {
                    set.add(perl)
                    position += 2
                    continue
                }
                if letter == "p" || letter == "P" {
                    position += 1
                    let saved = flags.caseInsensitive
                    flags.caseInsensitive = false
                    defer { flags.caseInsensitive = saved }
                    set.add(try parseUnicodeClass(start: itemStart))
                    continue
                }
            }
            let low = try classScalar(start: itemStart)
            var high = low
            if peek == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                if peek == "\\", position + 1 < scalars.count, CharClass.perl(Character(scalars[position + 1])) != nil {
                    throw RegexSyntaxError("invalid character class range", text(from: itemStart, to: position + 2))
                }
                high = try classScalar(start: itemStart)
                guard high.value >= low.value else {
                    throw RegexSyntaxError("invalid character class range", text(from: itemStart, to: position))
                }
            }
            set.add(low.value...high.value)
        }
        if flags.caseInsensitive { set.addCaseVariants() }
        return .set(set)
    }

    private mutating func classScalar(start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        guard let next = peek else { throw RegexSyntaxError("missing closing ]", text(from: start)) }
        position += 1
        if next == "\\" { return try parseEscapedScalar(start: position - 1) }
        return next
    }

    private func findPOSIXEnd(from index: Int) -> Int? {
        var i = index
        while i + 1 < scalars.count, i < index + 12 {
            if scalars[i] == ":" && scalars[i + 1] == "]" { return i }
            i += 1
        }
        return nil
    }

    // MARK: Helpers

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private func text(from start: Int, to end: Int? = nil) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[start..<min(end ?? scalars.count, scalars.count)])
        return String(out)
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": return scalar.value - 0x30
        case "a"..."f": return scalar.value - 0x61 + 10
        case "A"..."F": return scalar.value - 0x41 + 10
        default: return nil
        }
    }
}
