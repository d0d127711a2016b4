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

/// An immutable label set, kept sorted by name with unique names, so that equal sets compare
/// and hash equal whatever order they were built in. Empty values are dropped, as in Prometheus
/// (a label with an empty value is the same as no label).
public struct Labels: Hashable, Sendable, Comparable, RandomAccessCollection, CustomStringConvertible {
    /// The metric name label.
    public static let metricName = "__name__"

    public private(set) var storage: [Label]

    /// An empty label set.
    public init() { storage = [] }

    /// Builds a set from labels in any order; a later duplicate name wins.
    public init(_ labels: [Label]) {
        var sorted = labels.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        var unique: [Label] = []
        unique.reserveCapacity(sorted.count)
        for label in sorted {
            if let last = unique.last, last.name == label.name { unique[unique.count - 1] = label } else { unique.append(label) }
        }
        storage = unique
    }

    /// Builds a set from a dictionary.
    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { Label($0.key, $0.value) })
    }

    /// Wraps labels that are already sorted by name, unique and non-empty (not checked in release builds).
    public init(sortedUnique labels: [Label]) {
        assert(zip(labels, labels.dropFirst()).allSatisfy { $0.name < $1.name })
        storage = labels
    }

    public var startIndex: Int { storage.startIndex }
    public var endIndex: Int { storage.endIndex }
    public subscript(position: Int) -> Label { storage[position] }

    /// The value of the label `name`, or nil.
    public subscript(name: String) -> String? {
        for label in storage where label.name == name { return label.value }
        return nil
    }

    /// The metric name (`__name__`), if any.
    public var metricName: String? { self[Labels.metricName] }

    /// A copy with `name` set to `value` (removed when `value` is empty).
    public func setting(_ name: String, to value: String) -> Labels {
        var copy = storage.filter { $0.name != name }
        if !value.isEmpty {
            let index = copy.firstIndex { $0.name > name } ?? copy.endIndex
            copy.insert(Label(name, value), at: index)
        }
        return Labels(sortedUnique: copy)
    }

    /// A copy without the given names.
    public func removing(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: storage.filter { !names.contains($0.name) })
    }

    /// A copy holding only the given names.
    public func keeping(_ names: Set<String>) -> Labels {
        Labels(sortedUnique: storage.filter { names.contains($0.name) })
    }

    /// A copy without `__name__`.
    public var droppingMetricName: Labels { removing([Labels.metricName]) }

    /// The labels as a dictionary.
    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: storage.map { ($0.name, $0.value) })
    }

    /// Prometheus' notation: `name{a="1", b="2"}`.
    public var description: String {
        var out = metricName ?? ""
        let rest = storage.filter { $0.name != Labels.metricName }
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

    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        lhs.storage.lexicographicallyPrecedes(rhs.storage)
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
