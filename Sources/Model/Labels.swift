/// One label: a name and a value.
public struct Label: Hashable, Sendable, Comparable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Label, rhs: Label) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.value < rhs.value
    }
}

/// An immutable label set, kept sorted by name (byte order) with unique names, so that equal sets
/// compare and hash equal whatever order they were built in. Empty values are dropped, as in
/// Prometheus (a label with an empty value is the same as no label).
///
/// The labels live in one byte buffer (see `LabelBytes` for the layout), as in Prometheus'
/// `stringlabels`: one allocation per set and no reference count per string. Reading an element
/// makes its two `String`s; `withBytes` reads the names and values without making any.
/// Equality, hashing and order work on the bytes. Sendable: the buffer is never written once built.
public struct Labels: @unchecked Sendable, RandomAccessCollection, CustomStringConvertible {
    /// The metric name label.
    public static let metricName = "__name__"

    /// The packed labels; nil for an empty set (no allocation).
    @usableFromInline let buffer: LabelsBuffer?

    @inlinable init(buffer: LabelsBuffer?) { self.buffer = buffer }

    /// An empty label set.
    public init() { buffer = nil }

    /// Builds a set from labels in any order; a later duplicate name wins.
    public init(_ labels: [Label]) {
        // Usually already sorted, unique and without empty values (decoded or built in order).
        if labels.allSatisfy({ !$0.value.isEmpty }), zip(labels, labels.dropFirst()).allSatisfy({ Labels.bytesPrecede($0.name, $1.name) }) {
            self.init(sortedUnique: labels)
            return
        }
        var kept = labels.filter { !$0.value.isEmpty }
        if kept.count > 1 {
            // Stable, so the last of equal names stays last.
            let order = kept.indices.sorted { Labels.bytesPrecede(kept[$0].name, kept[$1].name) || (kept[$0].name.utf8.elementsEqual(kept[$1].name.utf8) && $0 < $1) }
            var unique: [Label] = []
            unique.reserveCapacity(kept.count)
            for index in order {
                let label = kept[index]
                if let last = unique.last, last.name.utf8.elementsEqual(label.name.utf8) { unique[unique.count - 1] = label } else { unique.append(label) }
            }
            kept = unique
        }
        self.init(sortedUnique: kept)
    }

    /// Builds a set from a dictionary.
    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { Label($0.key, $0.value) })
    }

    /// Wraps labels that are already sorted by name, unique and non-empty (not checked in release builds).
    public init(sortedUnique labels: [Label]) {
        assert(zip(labels, labels.dropFirst()).allSatisfy { Labels.bytesPrecede($0.name, $1.name) })
        var byteCount = 0
        for label in labels { byteCount += label.name.utf8.count + label.value.utf8.count }
        self.init(unsafeCount: labels.count, byteCount: byteCount) { writer in
            for label in labels {
                var name = label.name, value = label.value
                name.withUTF8 { name in value.withUTF8 { value in writer.append(name: name, value: value) } }
            }
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }
    public var count: Int { buffer == nil ? 0 : withBytes { $0.count } }
    public var isEmpty: Bool { buffer == nil }

    public subscript(position: Int) -> Label {
        withBytes { Label(String(decoding: $0.name(position), as: UTF8.self), String(decoding: $0.value(position), as: UTF8.self)) }
    }

    /// Reads the packed labels without making strings. The view is valid only inside `body`.
    @inlinable
    public func withBytes<R>(_ body: (LabelBytes) throws -> R) rethrows -> R {
        try withPackedBytes { try body(LabelBytes($0)) }
    }

    /// The address of the buffer holding the labels (nil when empty): the same for copies of one
    /// set, so it identifies an instance while the set is alive.
    public var bufferAddress: UInt? {
        buffer.map { UInt(bitPattern: Unmanaged.passUnretained($0).toOpaque()) }
    }

    /// Reads the packed buffer as a whole (see `LabelBytes` for its layout): equal sets have
    /// equal bytes, so a digest of them identifies the set.
    @inlinable
    public func withPackedBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let buffer else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try buffer.withUnsafeMutablePointers { size, bytes in
            try body(UnsafeRawBufferPointer(start: bytes, count: size.pointee))
        }
    }

    /// The value of the label `name`, or nil.
    public subscript(name: String) -> String? {
        guard buffer != nil else { return nil }
        var name = name
        return name.withUTF8 { wanted in
            withBytes { view in view.index(of: wanted).map { String(decoding: view.value($0), as: UTF8.self) } }
        }
    }

    /// The metric name (`__name__`), if any.
    public var metricName: String? { self[Labels.metricName] }

    /// A copy with `name` set to `value` (removed when `value` is empty).
    public func setting(_ name: String, to value: String) -> Labels {
        var name = name, value = value
        return name.withUTF8 { name in
            value.withUTF8 { value in
                withBytes { view in
                    let existing = view.index(of: name)
                    var count = view.count, byteCount = view.byteCount
                    if let existing { count -= 1; byteCount -= view.name(existing).count + view.value(existing).count }
                    if !value.isEmpty { count += 1; byteCount += name.count + value.count }
                    var inserted = value.isEmpty
                    return Labels(unsafeCount: count, byteCount: byteCount) { writer in
                        for index in 0..<view.count {
                            let current = view.name(index)
                            if !inserted, !LabelBytes.precede(current, name) {
                                writer.append(name: name, value: value)
                                inserted = true
                            }
                            if index != existing { writer.append(name: current, value: view.value(index)) }
                        }
                        if !inserted { writer.append(name: name, value: value) }
                    }
                }
            }
        }
    }

    /// A copy without the given names.
    public func removing(_ names: Set<String>) -> Labels { filteringNames(names, keep: false) }

    /// A copy holding only the given names.
    public func keeping(_ names: Set<String>) -> Labels { filteringNames(names, keep: true) }

    /// A copy holding only the labels named in `names` (`keep`), or all but those. The names are
    /// compared as bytes: no strings are made. This set itself when nothing is dropped.
    public func filtering(names: [String], keep: Bool) -> Labels { filteringNames(names, keep: keep) }

    /// A copy without `__name__`.
    public var droppingMetricName: Labels {
        guard buffer != nil else { return self }
        return withBytes { view in
            guard let index = view.index(of: LabelBytes.metricNameBytes) else { return self }
            let count = view.count - 1
            guard count > 0 else { return Labels() }
            return Labels(unsafeCount: count, byteCount: view.byteCount - view.name(index).count - view.value(index).count) { writer in
                for other in 0..<view.count where other != index { writer.append(name: view.name(other), value: view.value(other)) }
            }
        }
    }

    private func filteringNames<Names: Sequence<String>>(_ names: Names, keep: Bool) -> Labels {
        guard buffer != nil else { return self }
        return withBytes { view in
            func kept(_ index: Int) -> Bool {
                let name = view.name(index)
                for var candidate in names where candidate.utf8.count == name.count {
                    if candidate.withUTF8({ LabelBytes.equal($0, name) }) { return keep }
                }
                return !keep
            }
            var count = 0, byteCount = 0
            for index in 0..<view.count where kept(index) {
                count += 1
                byteCount += view.name(index).count + view.value(index).count
            }
            if count == view.count { return self }
            if count == 0 { return Labels() }
            return Labels(unsafeCount: count, byteCount: byteCount) { writer in
                for index in 0..<view.count where kept(index) { writer.append(name: view.name(index), value: view.value(index)) }
            }
        }
    }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        var out: [String: String] = [:]
        out.reserveCapacity(count)
        for label in self { out[label.name] = label.value }
        return out
    }

    /// Prometheus' notation: `name{a="1", b="2"}`.
    public var description: String {
        var out = metricName ?? ""
        let rest = filter { $0.name != Labels.metricName }
        if rest.isEmpty && !out.isEmpty { return out }
        out += "{"
        out += rest.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ", ")
        out += "}"
        return out
    }

    /// Escapes a label value for the text notation (`\\`, `\"`, `\n`). Works on Unicode scalars:
    /// as a `Character`, CR LF is one grapheme that is not equal to `"\n"`.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\"": out.append(contentsOf: "\\\"".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Whether `lhs` sorts before `rhs` in byte order (the order of names in a set).
    static func bytesPrecede(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}

extension Labels: Hashable {
    public static func == (lhs: Labels, rhs: Labels) -> Bool {
        if lhs.buffer === rhs.buffer { return true }
        return lhs.withPackedBytes { left in
            rhs.withPackedBytes { right in
                left.count == right.count && (left.baseAddress == right.baseAddress || LabelBytes.equal(left, right))
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        withPackedBytes { hasher.combine(bytes: $0) }
    }
}

extension Labels: Comparable {
    /// Lexicographic over the (name, value) pairs in name order, each compared by its bytes.
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        lhs.withBytes { left in
            rhs.withBytes { right in
                for index in 0..<Swift.min(left.count, right.count) {
                    let leftName = left.name(index), rightName = right.name(index)
                    if !LabelBytes.equal(leftName, rightName) { return LabelBytes.precede(leftName, rightName) }
                    let leftValue = left.value(index), rightValue = right.value(index)
                    if !LabelBytes.equal(leftValue, rightValue) { return LabelBytes.precede(leftValue, rightValue) }
                }
                return left.count < right.count
            }
        }
    }
}

extension Labels: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements.map { Label($0.0, $0.1) })
    }
}

extension Labels: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [String: String](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try dictionary.encode(to: encoder)
    }
}
