import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands `rule_files` globs and loads each file.
enum RuleFileLoader {
    /// The files the globs match, loaded, and the resolved globs that matched nothing.
    static func load(globs: [String], directory: String, context: DecodeContext) -> (files: [RuleFile], unmatched: [String]) {
        var files: [RuleFile] = []
        var unmatched: [String] = []
        var loaded = Set<String>()
        let nodes = context.document.root?["rule_files"]?.sequence.map(Array.init) ?? []
        for (index, pattern) in globs.enumerated() {
            let resolved = FilePaths.resolve(pattern, relativeTo: directory)
            let node = index < nodes.count
                ? Cursor(node: nodes[index], path: "rule_files[\(index)]", context: context) : nil
            let paths = expand(resolved)
            if paths.isEmpty { unmatched.append(resolved) }
            for path in paths where loaded.insert(path).inserted {
                files.append(loadOne(path: path, sink: context.sink, validator: context.validator, reportAt: node))
            }
        }
        return (files, unmatched)
    }

    static func loadOne(path: String, sink: DiagnosticSink, validator: ExpressionValidator, reportAt: Cursor?)
        -> RuleFile
    {
        let read = BoundedFile.read(path, limit: BoundedFile.documentLimit, regularOnly: true)
        guard case .success(let data) = read, let text = String(data: data, encoding: .utf8) else {
            var message = "cannot read rule file \"\(path)\""
            if case .failure(let failure) = read {
                message = failure.isUnreadable ? message + ": " + failure.reason : "rule file \"\(path)\" \(failure.reason)"
            } else {
                message += ": not UTF-8 text"
            }
            if let reportAt { reportAt.error(message) } else {
                sink.report(SourcePosition(file: path, line: 1, column: 1), "", message)
            }
            return RuleFile(path: path, groups: [])
        }
        let document = YAMLDocument(text: text, file: path)
        sink.append(document.syntaxErrors)
        let context = DecodeContext(file: path, directory: (path as NSString).deletingLastPathComponent,
                                    environment: [:], expandsEnvironment: false, sink: sink,
                                    validator: validator, document: document)
        return RuleFileDecoder.decode(path: path, root: document.root.map { Cursor(node: $0, path: "", context: context) })
    }

    /// Matching paths, sorted; a pattern matching nothing yields nothing (as in Prometheus).
    static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let pointer = result.gl_pathv[index], let path = String(validatingCString: pointer) { paths.append(path) }
        }
        return paths.sorted()
    }
}
