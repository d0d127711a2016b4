/// A compiled regular expression: instructions for `RegexMachine` (a Pike VM), as in RE2.
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        /// One scalar in `sets[index]`.
        case set(Int)
        case any
        case anyButNewline
        /// Continue at both; the first has priority.
        case split(Int, Int)
        case jump(Int)
        /// Record the position in capture slot n (group n/2; even: start, odd: end).
        case save(Int)
        case assert(RegexAssertion)
        case match
    }

    /// Larger programs are refused ("expression too large"): matching costs time proportional to
    /// the text's length times the program's size.
    static let maxInstructions = 50_000

    /// An instruction in the form the matching loop reads: no payload to switch on or copy.
    struct Op: Sendable {
        enum Kind: UInt8, Sendable { case set, any, anyButNewline, split, jump, save, assert, match }
        let kind: Kind
        /// set: the set's index; split, jump: the (first) target; save: the slot; assert: the kind's index.
        let a: Int32
        /// split: the second target.
        let b: Int32
    }

    private(set) var instructions: [Instruction] = []
    private(set) var sets: [CharClass] = []
    /// Where each distinct set is in `sets` (while compiling).
    private var setIndex: [CharClass: Int] = [:]
    /// `instructions`, flattened.
    private(set) var ops: [Op] = []
    /// Per set, which ASCII scalars it holds: membership without `CharClass`.
    private(set) var asciiBits: [ASCIISet] = []
    /// Capture slots: two per group, group 0 being the whole match.
    let slotCount: Int

    static let assertions: [RegexAssertion] = [.beginText, .endText, .beginLine, .endLine, .wordBoundary, .notWordBoundary]

    init(_ node: RegexNode, groupCount: Int, pattern: String) throws(RegexSyntaxError) {
        slotCount = 2 * groupCount
        try emit(.save(0), pattern)
        try compile(node, pattern)
        try emit(.save(1), pattern)
        try emit(.match, pattern)
        ops = instructions.map(RegexProgram.flatten)
        asciiBits = sets.map { set in
            var bits = ASCIISet()
            for value in UInt32(0)..<128 where set.contains(value) { bits.insert(value) }
            return bits
        }
        firstBytes = startingBytes()
        setIndex = [:]
    }

    /// The ASCII bytes a match can start with, when every match starts with one of them (no
    /// assertion or empty match first): an unanchored search skips to them.
    private(set) var firstBytes: ASCIISet?

    private func startingBytes() -> ASCIISet? {
        var bits = ASCIISet()
        var seen = Set<Int>(), stack = [0]
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second): stack += [first, second]
            case .save: stack.append(pc + 1)
            case .set(let index):
                let set = sets[index]
                guard !set.negated, set.categories.isEmpty, set.excludedCategories.isEmpty,
                      set.ranges.allSatisfy({ $0.upperBound < 128 }) else { return nil }
                bits.formUnion(asciiBits[index])
            case .any, .anyButNewline, .assert, .match: return nil
            }
        }
        return bits
    }

    private static func flatten(_ instruction: Instruction) -> Op {
        switch instruction {
        case .set(let index): return Op(kind: .set, a: Int32(index), b: 0)
        case .any: return Op(kind: .any, a: 0, b: 0)
        case .anyButNewline: return Op(kind: .anyButNewline, a: 0, b: 0)
        case .split(let first, let second): return Op(kind: .split, a: Int32(first), b: Int32(second))
        case .jump(let target): return Op(kind: .jump, a: Int32(target), b: 0)
        case .save(let slot): return Op(kind: .save, a: Int32(slot), b: 0)
        case .assert(let kind): return Op(kind: .assert, a: Int32(assertions.firstIndex(of: kind)!), b: 0)
        case .match: return Op(kind: .match, a: 0, b: 0)
        }
    }

    /// Whether set `index` holds `value`.
    @inline(__always)
    func setContains(_ index: Int, _ value: UInt32) -> Bool {
        value < 128 ? asciiBits[index].contains(value) : sets[index].contains(value)
    }

    /// Whether `node` can match the empty string.
    static func nullable(_ node: RegexNode) -> Bool {
        switch node {
        case .empty, .assertion: return true
        case .set, .any: return false
        case .capture(let body, _): return nullable(body)
        case .concat(let items): return items.allSatisfy(nullable)
        case .alternate(let branches): return branches.contains(where: nullable)
        case .loop(let body, let min, _, _): return min == 0 || nullable(body)
        }
    }

    private mutating func emit(_ instruction: Instruction, _ pattern: String) throws(RegexSyntaxError) {
        guard instructions.count < RegexProgram.maxInstructions else {
            throw RegexSyntaxError("expression too large", pattern)
        }
        instructions.append(instruction)
    }

    private mutating func compile(_ node: RegexNode, _ pattern: String) throws(RegexSyntaxError) {
        switch node {
        case .empty: break
        case .set(let set):
            if set.negated, set.ranges.isEmpty, set.categories.isEmpty, set.excludedCategories.isEmpty {
                try emit(.any, pattern)
            } else if let index = setIndex[set] {
                try emit(.set(index), pattern)   // `a{1000}`: one set, not a thousand
            } else {
                setIndex[set] = sets.count
                sets.append(set)
                try emit(.set(sets.count - 1), pattern)
            }
        case .any(let newline): try emit(newline ? .any : .anyButNewline, pattern)
        case .assertion(let kind): try emit(.assert(kind), pattern)
        case .capture(let body, let index):
            try emit(.save(2 * index), pattern)
            try compile(body, pattern)
            try emit(.save(2 * index + 1), pattern)
        case .concat(let items):
            for item in items { try compile(item, pattern) }
        case .alternate(let branches):
            // split L1, next; L1: a; jump end; next: split L2, … ; last branch
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = instructions.count
                    try emit(.split(split + 1, -1), pattern)
                    try compile(branch, pattern)
                    jumps.append(instructions.count)
                    try emit(.jump(-1), pattern)
                    instructions[split] = .split(split + 1, instructions.count)
                } else {
                    try compile(branch, pattern)
                }
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .loop(let body, let min, let max, let greedy):
            if max == nil, min == 0, RegexProgram.nullable(body) {
                // x* with an x that can match empty is (x+)?, as Go compiles it (golang.org/issue/46123):
                // the loop is entered once even for an empty x, so its groups are set as Go sets them.
                let quest = instructions.count
                try emit(.split(-1, -1), pattern)
                let start = instructions.count
                try compile(body, pattern)
                let split = instructions.count
                try emit(greedy ? .split(start, split + 1) : .split(split + 1, start), pattern)
                instructions[quest] = greedy ? .split(start, split + 1) : .split(split + 1, start)
                return
            }
            if max == nil, min > 0 {
                // x{n,}: n-1 copies, then L: x; split L, end (x+ without a second copy of x).
                for _ in 1..<min { try compile(body, pattern) }
                let start = instructions.count
                try compile(body, pattern)
                let split = instructions.count
                try emit(greedy ? .split(start, split + 1) : .split(split + 1, start), pattern)
                return
            }
            for _ in 0..<min { try compile(body, pattern) }
            if let max {
                // Optional copies, each skipping to the end when not taken: x{2,4} is xx(x(x)?)?.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(instructions.count)
                    try emit(.split(-1, -1), pattern)
                    try compile(body, pattern)
                }
                let end = instructions.count
                for split in splits { instructions[split] = greedy ? .split(split + 1, end) : .split(end, split + 1) }
            } else {
                // L: split body, end; body; jump L
                let split = instructions.count
                try emit(.split(-1, -1), pattern)
                try compile(body, pattern)
                try emit(.jump(split), pattern)
                let end = instructions.count
                instructions[split] = greedy ? .split(split + 1, end) : .split(end, split + 1)
            }
        }
    }
}

/// A set of ASCII scalars as a 128-bit map (bit n of word n/64).
struct ASCIISet: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    mutating func insert(_ value: UInt32) {
        if value < 64 { low |= 1 << UInt64(value) } else if value < 128 { high |= 1 << UInt64(value - 64) }
    }

    mutating func formUnion(_ other: ASCIISet) {
        low |= other.low
        high |= other.high
    }

    /// Whether `value` is in the set (false for anything not ASCII).
    @inline(__always)
    func contains(_ value: UInt32) -> Bool {
        value < 64 ? (low >> UInt64(value)) & 1 == 1 : value < 128 && (high >> UInt64(value - 64)) & 1 == 1
    }
}
