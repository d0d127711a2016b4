/// A place in a configuration or rule file: 1-based line and column.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// The file as the operator named it (or `<default>` for the embedded config).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a configuration or rule file, printed as
/// `file:line:column: key.path: message`.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public var position: SourcePosition
    /// The key path such as `checks[0].timeout`; empty for YAML syntax errors.
    public var path: String
    public var message: String

    public init(position: SourcePosition, path: String, message: String) {
        self.position = position
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(position): \(message)" : "\(position): \(path): \(message)"
    }
}

/// Every problem of a configuration and its rule files, in file order then position order.
/// `description` prints one diagnostic per line.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]

    public init(_ diagnostics: [ConfigDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while one load walks its files. Single-threaded by construction: a load
/// runs synchronously on one thread, so a plain class is enough.
final class DiagnosticSink {
    private(set) var items: [ConfigDiagnostic] = []

    func report(_ position: SourcePosition, _ path: String, _ message: String) {
        items.append(ConfigDiagnostic(position: position, path: path, message: message))
    }

    func append(_ diagnostics: [ConfigDiagnostic]) { items.append(contentsOf: diagnostics) }

    /// Files in order of first appearance, each sorted by position; duplicates dropped.
    func sorted() -> [ConfigDiagnostic] {
        var fileOrder: [String: Int] = [:]
        for item in items where fileOrder[item.position.file] == nil { fileOrder[item.position.file] = fileOrder.count }
        var seen = Set<ConfigDiagnostic>()
        let unique = items.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { a, b in
            let (x, y) = (a.element.position, b.element.position)
            if x.file != y.file { return fileOrder[x.file]! < fileOrder[y.file]! }
            if x.line != y.line { return x.line < y.line }
            if x.column != y.column { return x.column < y.column }
            return a.offset < b.offset
        }.map(\.element)
    }
}
