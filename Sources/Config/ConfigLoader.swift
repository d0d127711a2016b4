import Foundation

/// Loads and validates a config file and every rule file it names. Synchronous and pure apart
/// from reading files: the environment and the expression checks are passed in.
public enum ConfigLoader {
    /// Where `lookout run` looks when no `--config` is given.
    public static let defaultPath = "/etc/lookout/lookout.yml"

    /// Reads `path` (and its rule files, relative to its directory). Diagnostics name files as
    /// given, e.g. `config/lookout.yml:12:14: checks[0].timeout: invalid duration "fast"`.
    ///
    /// - Parameter dataDirOverride: replaces `global.data_dir` (the CLI's fallback when the
    ///   configured directory is not writable).
    public static func load(
        path: String, environment: [String: String], validator: ExpressionValidator = .acceptAll,
        dataDirOverride: String? = nil
    ) -> Result<LookoutConfig, ConfigErrors> {
        let data: Data
        switch BoundedFile.read(path, limit: BoundedFile.documentLimit, regularOnly: false) {
        case .success(let bytes): data = bytes
        case .failure(let failure):
            let position = SourcePosition(file: path, line: 1, column: 1)
            let message = failure.isUnreadable ? "cannot read config file: \(failure.reason)" : "config file \(failure.reason)"
            return .failure(ConfigErrors([ConfigDiagnostic(position: position, path: "", message: message)]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let position = SourcePosition(file: path, line: 1, column: 1)
            return .failure(ConfigErrors([ConfigDiagnostic(position: position, path: "", message: "config file is not UTF-8 text")]))
        }
        return parse(text: text, fileName: path, environment: environment, validator: validator,
                     dataDirOverride: dataDirOverride)
    }

    /// Parses config text. `fileName` names the file in diagnostics; `directory` (default: the
    /// directory part of `fileName`) anchors relative `rule_files`, `*_file` and `ca_file` paths.
    public static func parse(
        text: String, fileName: String, directory: String? = nil, environment: [String: String],
        validator: ExpressionValidator = .acceptAll, dataDirOverride: String? = nil
    ) -> Result<LookoutConfig, ConfigErrors> {
        let sink = DiagnosticSink()
        let directory = directory ?? (fileName as NSString).deletingLastPathComponent
        let document = YAMLDocument(text: text, file: fileName)
        sink.append(document.syntaxErrors)
        let context = DecodeContext(file: fileName, directory: directory, environment: environment,
                                    expandsEnvironment: true, sink: sink, validator: validator, document: document)
        var config = LookoutDecoder.decode(document.root.map { Cursor(node: $0, path: "", context: context) },
                                           source: fileName, dataDirOverride: dataDirOverride)
        if document.syntaxErrors.isEmpty {
            (config.ruleFiles, config.unmatchedRuleFileGlobs) = RuleFileLoader.load(
                globs: config.ruleFileGlobs, directory: directory, context: context)
        }
        let diagnostics = sink.sorted()
        return diagnostics.isEmpty ? .success(config) : .failure(ConfigErrors(diagnostics))
    }

    /// The embedded default config (`LookoutConfig.defaultYAML`), named `<default>` in diagnostics.
    public static func loadDefault(
        environment: [String: String] = [:], validator: ExpressionValidator = .acceptAll,
        dataDirOverride: String? = nil
    ) -> Result<LookoutConfig, ConfigErrors> {
        parse(text: LookoutConfig.defaultYAML, fileName: "<default>", directory: "",
              environment: environment, validator: validator, dataDirOverride: dataDirOverride)
    }

    /// Loads rule files on their own (for `lookout test rules`); `${…}` is not expanded.
    public static func loadRuleFile(path: String, validator: ExpressionValidator = .acceptAll)
        -> Result<RuleFile, ConfigErrors>
    {
        let sink = DiagnosticSink()
        let file = RuleFileLoader.loadOne(path: path, sink: sink, validator: validator, reportAt: nil)
        let diagnostics = sink.sorted()
        return diagnostics.isEmpty ? .success(file) : .failure(ConfigErrors(diagnostics))
    }
}
