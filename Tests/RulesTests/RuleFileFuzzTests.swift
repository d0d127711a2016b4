import Config
import Foundation
import Testing
import TestSupport
@testable import Rules

/// Rule files and configs checked by the real PromQL and template parsers (`RuleValidation`):
/// mutated expressions and templates, some with non-ASCII text before the error, must be reported
/// at a `file:line:column` that lies on the line and inside it.
@Suite("Rule file fuzzing")
struct RuleFileFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["LOOKOUT_FUZZ_ITERATIONS"] ?? "") ?? 1000
    static let seed = UInt64(ProcessInfo.processInfo.environment["LOOKOUT_FUZZ_SEED"] ?? "") ?? 0x2_0F11E
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let fragments = ["é", "☃", "🚨", "e\u{301}", "@@", "{{", "}}", "{{ nosuch }}", "(", ")", "[5m]", "{a=\"é\"}",
                            "\"", "'", "|", " by (", "\\", "$labels.é", "humanize", "\t"]

    /// Inserts fragments into the value of a random `expr:`, `summary:` or `description:` line.
    static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let targets = lines.indices.filter { lines[$0].contains("expr:") || lines[$0].contains("summary:") || lines[$0].contains("description:") }
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            guard let index = targets.randomElement(using: &rng), let colon = lines[index].firstIndex(of: ":") else { break }
            var chars = Array(lines[index])
            let start = lines[index][..<colon].count + 2
            guard start <= chars.count else { continue }
            let at = Int.random(in: start...chars.count, using: &rng)
            chars.insert(contentsOf: fragments.randomElement(using: &rng)!, at: at)
            lines[index] = String(chars)
        }
        return lines.joined(separator: "\n")
    }

    static func misplaced(_ errors: ConfigErrors, text: String, file: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return errors.diagnostics.filter { diagnostic in
            let position = diagnostic.position
            guard position.file == file else { return false }
            guard position.line >= 1, position.line <= lines.count, position.column >= 1 else { return true }
            return position.column > lines[position.line - 1].unicodeScalars.count + 1
        }.map(\.description)
    }

    @Test("expression and template errors in rule files point inside the line")
    func ruleFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-rfuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/fuzz.rules.yml"
        let seedText = try String(contentsOfFile: Self.repoRoot + "/config/rules/example.yml", encoding: .utf8)
        var rng = SplitMix(state: Self.seed)
        var bad: [String] = []
        var rejected = 0
        for _ in 0..<Self.iterations {
            let text = Self.mutate(seedText, &rng)
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            guard case .failure(let errors) = ConfigLoader.loadRuleFile(path: path, validator: RuleValidation.validator) else { continue }
            rejected += 1
            let found = Self.misplaced(errors, text: text, file: path)
            if !found.isEmpty { bad.append("\(found.prefix(2)) in \(text.debugDescription)") }
        }
        #expect(bad.isEmpty, "\(bad.count): \(bad.prefix(2))")
        #expect(rejected > Self.iterations / 10)
    }

    @Test("errors after non-ASCII text are placed by Unicode scalar, as YAML columns count")
    func nonASCIIColumns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-rcol-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/columns.rules.yml"
        let text = """
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: x{a="ééé"} )
                    annotations:
                      summary: "e\u{301} {{ nosuch }}"

            """
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        guard case .failure(let errors) = ConfigLoader.loadRuleFile(path: path, validator: RuleValidation.validator) else {
            Issue.record("loaded")
            return
        }
        let positions = errors.diagnostics.map { "\($0.position.line):\($0.position.column)" }
        #expect(positions == ["5:27", "7:27"], "\(errors)")
    }
}
