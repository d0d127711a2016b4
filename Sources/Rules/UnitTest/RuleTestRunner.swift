import Config
import Foundation
import Model
import Query
import Yams

/// Runs rule unit-test files in the format of `promtool test rules` (Prometheus 2.42) with the
/// real PromQL engine over in-memory series, and prints results the way promtool does.
public enum RuleTestRunner {
    /// Runs every file; `passed` is false when any test failed (the CLI exits 1 then).
    /// `timeZone` is the zone of `[today]`. `output` is what promtool prints on stdout and stderr together.
    public static func run(files: [String], timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> (passed: Bool, output: String) {
        let (passed, pieces) = runSplit(files: files, timeZone: timeZone)
        return (passed, pieces.map(\.text).joined())
    }

    /// One piece of the report and whether promtool writes it to stderr (warnings and failures)
    /// rather than stdout (the file names and SUCCESS), in the order printed.
    public struct OutputPiece: Sendable, Equatable {
        public var text: String
        public var isError: Bool
    }

    /// As `run`, with the report split between stdout and stderr as promtool splits it.
    public static func runSplit(files: [String], timeZone: TimeZone = TimeZone(identifier: "UTC")!)
        -> (passed: Bool, pieces: [OutputPiece])
    {
        var pieces: [OutputPiece] = []
        var passed = true
        for file in files {
            pieces.append(OutputPiece(text: "Unit Testing:  \(file)\n", isError: false))
            let (errors, warnings) = runFile(file, timeZone: timeZone)
            for warning in warnings { pieces.append(OutputPiece(text: "  WARNING: \(warning)\n", isError: true)) }
            if errors.isEmpty {
                pieces.append(OutputPiece(text: "  SUCCESS\n", isError: false))
            } else {
                passed = false
                pieces.append(OutputPiece(text: "  FAILED:\n", isError: true))
                for error in errors {
                    pieces.append(OutputPiece(text: error + "\n", isError: true))
                    pieces.append(OutputPiece(text: "\n", isError: false))
                }
            }
            pieces.append(OutputPiece(text: "\n", isError: false))
        }
        return (passed, pieces)
    }

    static func runFile(_ path: String, timeZone: TimeZone) -> (errors: [String], warnings: [String]) {
        let unitFile: UnitTestFile
        do {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                return (["open \(path): no such file or directory"], [])
            }
            if let unknown = UnitTestKeyCheck.unknownKeys(in: text) { return ([unknown], []) }
            unitFile = try YAMLDecoder().decode(UnitTestFile.self, from: text)
        } catch {
            return (["\(error)"], [])
        }
        let directory = (path as NSString).deletingLastPathComponent
        var warnings: [String] = []
        var ruleFiles: [String] = []
        for pattern in unitFile.ruleFiles ?? [] {
            let resolved = pattern.hasPrefix("/") || directory.isEmpty ? pattern : directory + "/" + pattern
            let matches = glob(resolved)
            // promtool names the pattern joined with the test file's directory.
            if matches.isEmpty { warnings.append("no file match pattern \(resolved.hasPrefix("./") ? String(resolved.dropFirst(2)) : resolved)") }
            ruleFiles += matches
        }
        guard let evalInterval = duration(unitFile.evaluationInterval, default: 60_000), evalInterval > 0 else {
            return (["invalid evaluation_interval \(unitFile.evaluationInterval ?? "")"], warnings)
        }
        var order: [String: Int] = [:]
        for (index, name) in (unitFile.groupEvalOrder ?? []).enumerated() {
            if order[name] != nil { return (["group name repeated in evaluation order: \(name)"], warnings) }
            order[name] = index
        }
        var files: [RuleFile] = []
        for file in ruleFiles {
            switch ConfigLoader.loadRuleFile(path: file, validator: RuleValidation.validator) {
            case .success(let loaded): files.append(loaded)
            case .failure(let errors): return (errors.diagnostics.map { "    \($0)" }, warnings)
            }
        }
        var errors: [String] = []
        for group in unitFile.tests ?? [] {
            var run = UnitTestGroupRun(group: group, evalInterval: evalInterval, timeZone: timeZone)
            errors += run.run(ruleFiles: files, order: order)
        }
        return (errors, warnings)
    }

    static func duration(_ text: String?, default value: Int64) -> Int64? {
        guard let text, !text.isEmpty else { return value }
        return PromDuration.parse(text)
    }

    static func glob(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
        }
        var result = glob_t()
        defer { globfree(&result) }
        guard Foundation.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].flatMap { String(validatingCString: $0) } }.sorted()
    }
}

/// Checks expressions and templates while rule files load, for `lookout check` and the test runner.
public enum RuleValidation {
    /// PromQL through the Query parser, label and annotation values through `Template.parse`.
    public static let validator = ExpressionValidator(
        promql: { text in
            do throws(ParseError) { _ = try PromQL.parse(text); return nil } catch {
                return ExpressionIssue(line: error.line, utf8Column: error.column, in: text, message: "parse error: \(error.message)")
            }
        },
        template: { text in
            do throws(TemplateError) { _ = try Template.parse(text); return nil } catch {
                return ExpressionIssue(line: error.line, characterColumn: error.column, in: text, message: error.message)
            }
        })
}
