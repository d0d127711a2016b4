import Config
import Foundation
import Testing

/// YAML merge keys (`<<: *anchor`) in the config and in rule files, read as Prometheus' YAML
/// libraries read them (errors: testdata/bad/merge-keys.bad.yml).
@Suite struct MergeKeyTests {
    @Test func mergedKeysFillInAndWrittenKeysWin() throws {
        let config = try Fixtures.parse(Fixtures.testdata + "/good", "merge-keys.good.yml").get()
        #expect(config.checks.map(\.name) == ["api", "admin", "docs"])
        #expect(config.checks[1].target == .http(url: "https://admin.example.com/health"))
        #expect(config.checks[1].interval == 30_000 && config.checks[1].timeout == 5_000)
        #expect(config.checks[1].expect.status == [200])
        #expect(config.checks[2].interval == 60_000, "the first map of a merged list wins")
        #expect(config.notify.routes[1].repeatInterval == 3_600_000)
        #expect(config.notify.routes[1].matchers.map(\.description) == ["severity=\"warning\""])
    }

    @Test func ruleFileLabelsMerge() throws {
        let text = """
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: up == 0
                    labels: &page {severity: critical, team: sre}
                  - alert: B
                    expr: up == 0
                    labels:
                      <<: *page
                      severity: warning
            """
        let path = NSTemporaryDirectory() + "merge-keys-\(UInt32.random(in: 0...UInt32.max)).rules.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try ConfigLoader.loadRuleFile(path: path).get()
        #expect(file.groups[0].rules[1].labels == ["severity": "warning", "team": "sre"])
    }

    /// Nine maps each merging the previous one nine times would be 9^9 entries; the walk stops.
    @Test func mergeBombIsRefused() {
        var lines = ["checks:", "  - {name: a0, tcp: 'h:1', timeout: &a0 {k: v}}"]
        for level in 1...9 {
            let previous = Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
            lines.append("  - {name: a\(level), tcp: 'h:1', timeout: &a\(level) {<<: [\(previous)]}}")
        }
        lines += ["global:", "  external_labels: {<<: *a9}"]
        guard case .failure(let errors) = ConfigLoader.parse(text: lines.joined(separator: "\n"), fileName: "bomb.yml",
                                                             environment: [:]) else {
            Issue.record("accepted"); return
        }
        #expect(errors.diagnostics.contains { $0.message.contains("bring more than 10000 entries") }, "\(errors)")
    }
}
