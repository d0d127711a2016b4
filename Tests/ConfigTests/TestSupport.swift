import Config
import Foundation

/// Paths and fixtures shared by the Config tests.
enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let testdata = testsDirectory.appendingPathComponent("testdata").path
    static let repoRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent().path

    /// The environment every table-driven case sees.
    static let environment = ["SET_VAR": "value", "EMPTY_VAR": "", "NUMBER_VAR": "42", "SECRET_TOKEN": "s3cr3t-token-value"]

    /// Everything the SPEC example refers to, for the good cases.
    static let fullEnvironment = environment.merging([
        "HEALTH_TOKEN": "health-token-value", "PAGERDUTY_ROUTING_KEY": "pd-routing-key-value",
        "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T1/B1/slack-secret-value",
        "SMTP_USER": "smtp-user", "SMTP_PASSWORD": "smtp-password-value", "REMOTE_WRITE_TOKEN": "rw-token-value",
    ]) { $1 }

    /// A stand-in for the PromQL and template parsers: `@@` in an expression and `{{` without a
    /// closing `}}` in a template are errors, positioned like a real parser would.
    static let validator = ExpressionValidator(
        promql: { text in issue(in: text, at: "@@", "unexpected character \"@\"") },
        template: { text in
            guard let open = text.range(of: "{{"), !text[open.upperBound...].contains("}}") else { return nil }
            return issue(in: text, at: "{{", "unclosed action")
        })

    static func issue(in text: String, at needle: String, _ message: String) -> ExpressionIssue? {
        guard let range = text.range(of: needle) else { return nil }
        let before = text[..<range.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let column = (before.split(separator: "\n", omittingEmptySubsequences: false).last?.count ?? 0) + 1
        return ExpressionIssue(line: line, column: column, message: message)
    }

    static func files(in directory: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Parses a testdata file as it would be loaded from its own directory, naming it by its base
    /// name so expected diagnostics do not depend on where the repository lives.
    static func parse(_ directory: String, _ name: String, environment: [String: String] = Fixtures.environment)
        -> Result<LookoutConfig, ConfigErrors>
    {
        ConfigLoader.parse(text: read(directory + "/" + name), fileName: name, directory: directory,
                           environment: environment, validator: validator)
    }

    /// Diagnostics as lines, with the testdata directory stripped from rule-file paths.
    static func lines(_ errors: ConfigErrors, stripping directory: String) -> [String] {
        errors.diagnostics.map { $0.description.replacingOccurrences(of: directory + "/", with: "") }
    }
}
