/// A sparse set over memory the caller provides (see `SparseSet`).
struct FastSet {
    let dense: UnsafeMutablePointer<Int32>
    let sparse: UnsafeMutablePointer<Int32>
    var count: Int32 = 0

    init(_ dense: UnsafeMutablePointer<Int32>, _ sparse: UnsafeMutablePointer<Int32>) {
        self.dense = dense
        self.sparse = sparse
    }

    /// False if it was there already.
    @inline(__always)
    mutating func insert(_ value: Int32) -> Bool {
        let index = sparse[Int(value)]
        if index < count && dense[Int(index)] == value { return false }
        dense[Int(count)] = value
        sparse[Int(value)] = count
        count += 1
        return true
    }
}

/// One boolean match over flattened instructions and caller-provided memory: the loop of
/// `RegexMachine.matches` without array bounds checks, copies or reference counting.
struct BooleanRun {
    let ops: UnsafeBufferPointer<RegexProgram.Op>
    let ascii: UnsafeBufferPointer<ASCIISet>
    let sets: UnsafeBufferPointer<CharClass>
    let firstBytes: ASCIISet?
    let text: UnsafeBufferPointer<UInt8>
    let stack: UnsafeMutablePointer<Int32>

    @inline(__always)
    private func inSet(_ index: Int32, _ value: UInt32) -> Bool {
        value < 128 ? ascii[Int(index)].contains(value) : sets[Int(index)].contains(value)
    }

    /// Adds `pc` and what it reaches without consuming input to `list`.
    @inline(__always)
    private func add(_ list: inout FastSet, _ pc: Int32, before: UInt32?, after: UInt32?) {
        var top = 1
        stack[0] = pc
        while top > 0 {
            top -= 1
            let pc = stack[top]
            guard list.insert(pc) else { continue }
            let op = ops[Int(pc)]
            switch op.kind {
            case .jump: stack[top] = op.a; top += 1
            case .split:
                stack[top] = op.b
                stack[top + 1] = op.a
                top += 2
            case .save: stack[top] = pc + 1; top += 1
            case .assert:
                if BooleanRun.holds(op.a, before: before, after: after) {
                    stack[top] = pc + 1
                    top += 1
                }
            default: break
            }
        }
    }

    @inline(__always)
    private func decode(_ index: Int) -> (UInt32, Int)? { RegexMachine.scalar(in: text, at: index) }

    /// The first position at or after `index` holding one of `bytes`, or the end.
    @inline(__always)
    private func skip(from index: Int, to bytes: ASCIISet) -> Int {
        var index = index
        while index < text.count, !bytes.contains(UInt32(text[index])) { index += 1 }
        return index
    }

    private static func holds(_ kind: Int32, before: UInt32?, after: UInt32?) -> Bool {
        RegexMachine.holds(RegexProgram.assertions[Int(kind)], before: before, after: after)
    }

    func matches(anchored: Bool, toEnd: Bool, current: FastSet, next: FastSet) -> Bool {
        var current = current, next = next
        var position = 0
        var before: UInt32? = nil
        if !anchored, let first = firstBytes {
            position = skip(from: 0, to: first)
            if position == text.count { return false }
            if position > 0 { before = UInt32(text[position - 1]) }   // only assertions read it, and none come first
        }
        var here = decode(position)
        add(&current, 0, before: before, after: here?.0)
        while true {
            let after = here.map { position + $0.1 }
            let following = after.flatMap(decode)
            let scalar = here?.0
            for member in 0..<Int(current.count) {
                let pc = current.dense[member]
                let op = ops[Int(pc)]
                switch op.kind {
                case .match:
                    if !toEnd || here == nil { return true }
                case .set:
                    if let scalar, inSet(op.a, scalar) { add(&next, pc + 1, before: scalar, after: following?.0) }
                case .any:
                    if let scalar { add(&next, pc + 1, before: scalar, after: following?.0) }
                case .anyButNewline:
                    if let scalar, scalar != 10 { add(&next, pc + 1, before: scalar, after: following?.0) }
                default: break
                }
            }
            guard let scalar, let after else { return false }
            position = after
            before = scalar
            here = following
            swap(&current, &next)
            next.count = 0
            if !anchored {
                if current.count == 0, let first = firstBytes {
                    let start = skip(from: position, to: first)
                    if start == text.count { return false }
                    if start != position {
                        position = start
                        before = UInt32(text[start - 1])
                        here = decode(start)
                    }
                }
                add(&current, 0, before: before, after: here?.0)
            }
            if current.count == 0 { return false }
        }
    }
}
