/// Runs a `RegexProgram` over UTF-8 text as a Pike VM: all threads advance together one scalar
/// at a time, each instruction at most once per position, so matching takes time proportional
/// to the text's length times the program's size, whatever the pattern (no backtracking).
/// Invalid UTF-8 reads as U+FFFD, one byte at a time, as in Go.
struct RegexMachine {
    private let program: RegexProgram
    private let text: UnsafeBufferPointer<UInt8>

    init(_ program: RegexProgram, _ text: UnsafeBufferPointer<UInt8>) {
        self.program = program
        self.text = text
    }

    /// The scalar at `index` of `text` and its length in bytes, nil at the end; bytes that are
    /// not UTF-8 read as U+FFFD, one at a time.
    @inline(__always)
    static func scalar(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        guard index < text.count else { return nil }
        let first = text[index]
        if first < 0x80 { return (UInt32(first), 1) }
        var iterator = text[index..<min(index + 4, text.count)].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return (scalar.value, UTF8.width(scalar))
        }
        return (0xFFFD, 1)
    }

    @inline(__always)
    private func decode(_ index: Int) -> (UInt32, Int)? { RegexMachine.scalar(in: text, at: index) }

    private static func isWord(_ value: UInt32?) -> Bool {
        guard let value, value < 0x80 else { return false }
        return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || value == 0x5F
            || (value >= 0x61 && value <= 0x7A)
    }

    @inline(__always)
    static func holds(_ kind: RegexAssertion, before: UInt32?, after: UInt32?) -> Bool {
        switch kind {
        case .beginText: return before == nil
        case .endText: return after == nil
        case .beginLine: return before == nil || before == 10
        case .endLine: return after == nil || after == 10
        case .wordBoundary: return isWord(before) != isWord(after)
        case .notWordBoundary: return isWord(before) == isWord(after)
        }
    }

    // MARK: Without captures

    /// Whether the program matches: anchored at the start when `anchored`, else anywhere; ending
    /// at the end of the text when `toEnd`.
    func matches(anchored: Bool, toEnd: Bool) -> Bool {
        let size = program.ops.count
        return program.ops.withUnsafeBufferPointer { ops in
            program.asciiBits.withUnsafeBufferPointer { ascii in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: 6 * size + 2) { memory in
                    let base = memory.baseAddress!
                    base.initialize(repeating: 0, count: 6 * size + 2)
                    defer { base.deinitialize(count: 6 * size + 2) }
                    return program.sets.withUnsafeBufferPointer { sets in
                        let run = BooleanRun(ops: ops, ascii: ascii, sets: sets, firstBytes: program.firstBytes,
                                             text: text, stack: base + 4 * size)
                        return run.matches(anchored: anchored, toEnd: toEnd, current: FastSet(base, base + size),
                                           next: FastSet(base + 2 * size, base + 3 * size))
                    }
                }
            }
        }
    }

    // MARK: With captures

    /// The leftmost-first match starting at or after `start` (at `start` only when `anchored`),
    /// ending at the end of the text when `toEnd`: capture slots as byte offsets, -1 for groups
    /// that did not take part. Nil if there is none.
    func firstMatch(from start: Int, anchored: Bool, toEnd: Bool) -> [Int]? {
        let size = program.instructions.count
        var current = ThreadList(capacity: size), next = ThreadList(capacity: size)
        var matched: [Int]?
        var position = start
        var before: UInt32? = start == 0 ? nil : previousScalar(start)
        var here = decode(start)
        let fresh = [Int](repeating: -1, count: program.slotCount)
        while true {
            if matched == nil, !anchored || position == start {
                addThread(&current, 0, fresh, at: position, before: before, after: here?.0)
            }
            // Unanchored and not matched yet, a later start may still match.
            if current.isEmpty, anchored || matched != nil { break }
            let after = here.map { position + $0.1 }
            let following = after.flatMap(decode)
            threads: for (pc, slots) in current.threads {
                switch program.instructions[pc] {
                case .match:
                    if toEnd && here != nil { continue }
                    matched = slots
                    break threads   // lower-priority threads are cut off
                case .set(let index):
                    if let (scalar, _) = here, let after, program.setContains(index, scalar) {
                        addThread(&next, pc + 1, slots, at: after, before: scalar, after: following?.0)
                    }
                case .any:
                    if let (scalar, _) = here, let after {
                        addThread(&next, pc + 1, slots, at: after, before: scalar, after: following?.0)
                    }
                case .anyButNewline:
                    if let (scalar, _) = here, let after, scalar != 10 {
                        addThread(&next, pc + 1, slots, at: after, before: scalar, after: following?.0)
                    }
                default: break
                }
            }
            guard let (scalar, _) = here, let after else { break }
            position = after
            before = scalar
            here = following
            swap(&current, &next)
            next.removeAll()
        }
        return matched
    }

    private func previousScalar(_ index: Int) -> UInt32? {
        var begin = index - 1
        while begin > 0, index - begin < 4, text[begin] & 0xC0 == 0x80 { begin -= 1 }
        if let (scalar, width) = decode(begin), begin + width == index { return scalar }
        return 0xFFFD
    }

    /// Follows what `pc` reaches without consuming input, in priority order, recording saves.
    private func addThread(_ list: inout ThreadList, _ pc: Int, _ slots: [Int], at position: Int,
                           before: UInt32?, after: UInt32?) {
        // An explicit stack of (pc, slots): recursion depth would follow the program's size.
        var stack: [(Int, [Int])] = [(pc, slots)]
        while let (pc, slots) = stack.popLast() {
            guard list.visit(pc) else { continue }
            switch program.instructions[pc] {
            case .jump(let target): stack.append((target, slots))
            case .split(let first, let second):
                stack.append((second, slots))
                stack.append((first, slots))
            case .save(let slot):
                var updated = slots
                if slot < updated.count { updated[slot] = position }
                stack.append((pc + 1, updated))
            case .assert(let kind):
                if RegexMachine.holds(kind, before: before, after: after) { stack.append((pc + 1, slots)) }
            default:
                list.append(pc, slots)
            }
        }
    }
}

/// A set of instruction indices with insertion order, cleared in O(1) (Briggs and Torczon).
struct SparseSet {
    private var dense: [Int]
    private var sparse: [Int]
    private(set) var count = 0

    init(capacity: Int) {
        dense = [Int](repeating: 0, count: capacity)
        sparse = [Int](repeating: 0, count: capacity)
    }

    var isEmpty: Bool { count == 0 }

    func contains(_ value: Int) -> Bool {
        let index = sparse[value]
        return index < count && dense[index] == value
    }

    /// False if it was there already.
    mutating func insert(_ value: Int) -> Bool {
        if contains(value) { return false }
        dense[count] = value
        sparse[value] = count
        count += 1
        return true
    }

    mutating func removeAll() { count = 0 }
}

/// The threads of one position in priority order: the instructions that consume input, with
/// their capture slots; `visit` marks every instruction reached, so each is followed once.
struct ThreadList {
    private var visited: SparseSet
    private(set) var threads: [(Int, [Int])] = []

    init(capacity: Int) { visited = SparseSet(capacity: capacity) }

    var isEmpty: Bool { threads.isEmpty }

    mutating func visit(_ pc: Int) -> Bool { visited.insert(pc) }

    mutating func append(_ pc: Int, _ slots: [Int]) { threads.append((pc, slots)) }

    mutating func removeAll() {
        visited.removeAll()
        threads.removeAll(keepingCapacity: true)
    }
}
