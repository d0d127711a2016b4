import Config
import Foundation
import Testing

/// Prometheus rule files named by `rule_files`.
@Suite struct RuleFileTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "lookout-rules-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/rules", withIntermediateDirectories: true)
        try """
            groups:
              - name: b
                interval: 1m
                limit: 10
                query_offset: 30s
                labels: {team: core}
                rules:
                  - record: job:up:sum
                    expr: sum by (job) (up)
                    labels: {source: lookout}
                  - alert: Down
                    expr: job:up:sum == 0
                    for: 5m
                    keep_firing_for: 1m
                    labels: {severity: critical}
                    annotations: {summary: "{{ $labels.job }} is down"}

            """.write(toFile: directory + "/rules/b.yml", atomically: true, encoding: .utf8)
        try "groups:\n  - name: a\n    rules: []\n".write(toFile: directory + "/rules/a.yml", atomically: true, encoding: .utf8)
    }

    private func load(_ globs: String) -> Result<LookoutConfig, ConfigErrors> {
        ConfigLoader.parse(text: "rule_files: \(globs)\n", fileName: directory + "/lookout.yml", environment: [:])
    }

    @Test func unreadableRuleFilesSayWhy() throws {
        try FileManager.default.createDirectory(atPath: directory + "/rules/dir.yml", withIntermediateDirectories: true)
        try Data([0x67, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: directory + "/rules/latin1.yml"))
        guard case .failure(let errors) = load("[rules/dir.yml, rules/latin1.yml]") else {
            Issue.record("loaded")
            return
        }
        let text = errors.description
        #expect(text.contains("cannot read rule file \"\(directory)/rules/dir.yml\": is a directory"), "\(text)")
        #expect(text.contains("cannot read rule file \"\(directory)/rules/latin1.yml\": not UTF-8 text"), "\(text)")
    }

    @Test func globsLoadMatchingFilesInOrderOnce() throws {
        let config = try load("[rules/*.yml, rules/b.yml, nothing/*.yml]").get()
        #expect(config.ruleFiles.map { ($0.path as NSString).lastPathComponent } == ["a.yml", "b.yml"])
        let group = try #require(config.ruleFiles.last?.groups.first)
        #expect(group.name == "b" && group.interval == 60_000 && group.limit == 10)
        #expect(group.queryOffset == 30_000 && group.labels == ["team": "core"])
        #expect(group.rules.map(\.kind) == [.record("job:up:sum"), .alert("Down")])
        let alert = group.rules[1]
        #expect(alert.forDuration == 300_000 && alert.keepFiringFor == 60_000)
        #expect(alert.labels == ["severity": "critical"] && alert.annotations["summary"] == "{{ $labels.job }} is down")
        #expect(alert.exprPosition.line == 12 && alert.exprPosition.column == 15)
        #expect(alert.exprPosition.file == directory + "/rules/b.yml")
    }

    /// A copied `rule_files: [/etc/prometheus/rules/*.yml]` is valid (as in Prometheus) but loads
    /// nothing: `lookout check` says so rather than printing a bare "0 rules".
    @Test func globsMatchingNothingAreListed() throws {
        let config = try load("[rules/*.yml, nothing/*.yml, /etc/prometheus-nowhere/rules/*.yml]").get()
        #expect(config.unmatchedRuleFileGlobs == [directory + "/nothing/*.yml", "/etc/prometheus-nowhere/rules/*.yml"])
        let summary = ConfigSummary.render(config)
        #expect(summary.contains("rule files (2, "), "\(summary)")
        #expect(summary.contains("\n  /etc/prometheus-nowhere/rules/*.yml: matches no file (ignored, as Prometheus does)\n"))
    }

    @Test func absoluteGlobsWork() throws {
        let config = try load("[\(directory)/rules/a.yml]").get()
        #expect(config.ruleFiles.count == 1 && config.ruleFiles[0].groups[0].rules.isEmpty)
    }

    @Test func ruleFilesAreNotEnvironmentExpanded() throws {
        let path = directory + "/rules/env.yml"
        try "groups:\n  - name: e\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations: {x: \"${NOPE} $$\"}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let file = try ConfigLoader.loadRuleFile(path: path).get()
        #expect(file.groups[0].rules[0].annotations["x"] == "${NOPE} $$")
    }

    @Test func rulefmtChecks() throws {
        let path = directory + "/rules/bad.yml"
        try """
            groups:
              - name: ""
                rules:
                  - record: x
                    expr: up
                    annotations: {a: b}
                  - alert: A
                    expr: up
                    labels: {__name__: x}

            """.write(toFile: path, atomically: true, encoding: .utf8)
        guard case .failure(let errors) = ConfigLoader.loadRuleFile(path: path) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.diagnostics.map { "\($0.position.line):\($0.position.column): \($0.path): \($0.message)" } == [
            "2:11: groups[0].name: must not be empty",
            "6:9: groups[0].rules[0]: \"annotations\" is not allowed on a recording rule",
            "9:18: groups[0].rules[1].labels: invalid label name \"__name__\"",
        ])
    }
}
