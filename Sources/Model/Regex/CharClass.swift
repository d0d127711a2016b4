/// A set of Unicode scalars: sorted, merged ranges, plus general categories (`\pL`) and negated
/// ones (`\PL`), and a negation over the whole (`[^…]`).
struct CharClass: Sendable, Hashable {
    private(set) var ranges: [ClosedRange<UInt32>] = []
    var categories: [Unicode.GeneralCategory] = []
    /// Each entry matches the scalars whose category is not in it (`\PL` is `[[.uppercaseLetter, …]]`).
    var excludedCategories: [[Unicode.GeneralCategory]] = []
    var negated = false

    static let maxScalar: UInt32 = 0x10FFFF

    init() {}

    init(_ ranges: [ClosedRange<UInt32>]) {
        for range in ranges { add(range) }
    }

    static func scalar(_ value: UInt32) -> CharClass { CharClass([value...value]) }

    mutating func add(_ range: ClosedRange<UInt32>) {
        ranges.append(range)
        normalize()
    }

    mutating func add(_ other: CharClass) {
        if other.negated {
            // Only `\D`, `\S` and `\W` are negated classes added to others: ranges alone,
            // complemented exactly (`\P` builds excluded categories instead).
            ranges += other.complementedRanges
        } else {
            ranges += other.ranges
            categories += other.categories
            excludedCategories += other.excludedCategories
        }
        normalize()
    }

    /// The ranges of scalars not in `ranges`.
    var complementedRanges: [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { out.append(next...(range.lowerBound - 1)) }
            next = range.upperBound &+ 1
            if range.upperBound == CharClass.maxScalar { return out }
        }
        if next <= CharClass.maxScalar { out.append(next...CharClass.maxScalar) }
        return out
    }

    private mutating func normalize() {
        guard ranges.count > 1 else { return }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = [ranges[0]]
        for range in ranges.dropFirst() {
            let last = merged[merged.count - 1]
            if range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
    }

    /// Adds the simple case variants of every scalar in the class (for `(?i)`). Ranges wider
    /// than 0x3000 scalars are taken to hold their own variants.
    mutating func addCaseVariants() {
        var extra: [ClosedRange<UInt32>] = []
        for range in ranges where range.count <= 0x3000 {
            for value in range {
                if value < 0x80 {
                    if value >= 0x41 && value <= 0x5A { extra.append((value + 32)...(value + 32)) }
                    if value >= 0x61 && value <= 0x7A { extra.append((value - 32)...(value - 32)) }
                    continue
                }
                guard let scalar = Unicode.Scalar(value) else { continue }
                for mapping in [scalar.properties.lowercaseMapping, scalar.properties.uppercaseMapping,
                                scalar.properties.titlecaseMapping] {
                    let scalars = mapping.unicodeScalars
                    if scalars.count == 1, let only = scalars.first, only.value != value {
                        extra.append(only.value...only.value)
                    }
                }
            }
        }
        if inRanges(0x6B) || inRanges(0x4B) { extra.append(0x212A...0x212A) }   // KELVIN SIGN folds to k
        if inRanges(0x73) || inRanges(0x53) { extra.append(0x17F...0x17F) }     // LONG S folds to s
        ranges += extra
        normalize()
        categories = CharClass.foldedCategories(categories)
    }

    /// Case-insensitive letter categories match all cased letters, as Go's folding of `\p{Lu}` does.
    private static func foldedCategories(_ categories: [Unicode.GeneralCategory]) -> [Unicode.GeneralCategory] {
        let cased: [Unicode.GeneralCategory] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]
        return categories.contains(where: cased.contains) ? Array(Set(categories + cased)) : categories
    }

    @inline(__always)
    private func inRanges(_ value: UInt32) -> Bool {
        if ranges.count <= 8 {
            for range in ranges where value <= range.upperBound { return value >= range.lowerBound }
            return false
        }
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < value { low = mid + 1 } else { high = mid }
        }
        return low < ranges.count && ranges[low].lowerBound <= value
    }

    func contains(_ value: UInt32) -> Bool {
        var found = inRanges(value)
        if !found, !categories.isEmpty || !excludedCategories.isEmpty, let scalar = Unicode.Scalar(value) {
            let category = scalar.properties.generalCategory
            found = categories.contains(category) || excludedCategories.contains { !$0.contains(category) }
        }
        return found != negated
    }

    // MARK: Named classes (ASCII, as Go's Perl and POSIX classes are)

    static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
    static let space: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]   // Go's \s: no \v
    static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

    static func perl(_ letter: Character) -> CharClass? {
        switch letter {
        case "d": return CharClass(digit)
        case "s": return CharClass(space)
        case "w": return CharClass(word)
        case "D", "S", "W":
            var negated = perl(Character(letter.lowercased()))!
            negated.negated = true
            return negated
        default: return nil
        }
    }

    static func posix(_ name: String) -> [ClosedRange<UInt32>]? {
        switch name {
        case "alnum": return [0x30...0x39, 0x41...0x5A, 0x61...0x7A]
        case "alpha": return [0x41...0x5A, 0x61...0x7A]
        case "ascii": return [0x00...0x7F]
        case "blank": return [0x09...0x09, 0x20...0x20]
        case "cntrl": return [0x00...0x1F, 0x7F...0x7F]
        case "digit": return digit
        case "graph": return [0x21...0x7E]
        case "lower": return [0x61...0x7A]
        case "print": return [0x20...0x7E]
        case "punct": return [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E]
        case "space": return [0x09...0x0D, 0x20...0x20]
        case "upper": return [0x41...0x5A]
        case "word": return word
        case "xdigit": return [0x30...0x39, 0x41...0x46, 0x61...0x66]
        default: return nil
        }
    }

    /// `\p{name}` (`excluded`: `\P{name}`): `Any` and the general categories, one- or two-letter
    /// (scripts are not supported).
    static func unicode(_ name: String, excluded: Bool) -> CharClass? {
        if name == "Any" { return excluded ? CharClass() : CharClass([0...maxScalar]) }
        let all: [(String, Unicode.GeneralCategory)] = [
            ("Lu", .uppercaseLetter), ("Ll", .lowercaseLetter), ("Lt", .titlecaseLetter), ("Lm", .modifierLetter),
            ("Lo", .otherLetter), ("Mn", .nonspacingMark), ("Mc", .spacingMark), ("Me", .enclosingMark),
            ("Nd", .decimalNumber), ("Nl", .letterNumber), ("No", .otherNumber), ("Pc", .connectorPunctuation),
            ("Pd", .dashPunctuation), ("Ps", .openPunctuation), ("Pe", .closePunctuation),
            ("Pi", .initialPunctuation), ("Pf", .finalPunctuation), ("Po", .otherPunctuation),
            ("Sm", .mathSymbol), ("Sc", .currencySymbol), ("Sk", .modifierSymbol), ("So", .otherSymbol),
            ("Zs", .spaceSeparator), ("Zl", .lineSeparator), ("Zp", .paragraphSeparator), ("Cc", .control),
            ("Cf", .format), ("Cs", .surrogate), ("Co", .privateUse),
        ]
        let matching = all.filter { name.count == 1 ? $0.0.hasPrefix(name) : $0.0 == name }.map(\.1)
        guard !matching.isEmpty else { return nil }
        var result = CharClass()
        if excluded { result.excludedCategories = [matching] } else { result.categories = matching }
        return result
    }
}
