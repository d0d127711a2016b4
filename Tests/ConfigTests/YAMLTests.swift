import Config
import Testing

/// YAML-level behaviour: duplicate keys in every style, together with other errors.
@Suite struct YAMLTests {
    private func diagnostics(_ text: String) -> [String] {
        switch ConfigLoader.parse(text: text, fileName: "y.yml", environment: [:]) {
        case .success: return []
        case .failure(let errors): return errors.diagnostics.map(\.description)
        }
    }

    @Test func duplicateKeysInAFlowMapping() {
        #expect(diagnostics("global: {retention: 1d, retention: 2d}\n")
            == ["y.yml:1:25: global: duplicate key \"retention\" (first at line 1, column 10)"])
    }

    @Test func duplicateQuotedKeys() {
        #expect(diagnostics("global:\n  \"retention\": 1d\n  'retention': 2d\n")
            == ["y.yml:3:3: global: duplicate key \"retention\" (first at line 2, column 3)"])
    }

    @Test func duplicateLabelNamesAndChannelNames() {
        let text = """
            global:
              external_labels: {env: prod, env: dev}
            notify:
              channels:
                log: {log: {}}
                log: {log: {}}

            """
        #expect(diagnostics(text) == [
            "y.yml:2:32: global.external_labels: duplicate key \"env\" (first at line 2, column 21)",
            "y.yml:6:5: notify.channels: duplicate key \"log\" (first at line 5, column 5)",
        ])
    }

    @Test func duplicateKeysInSeveralItemsAreAllReported() {
        let text = """
            checks:
              - {name: a, http: "http://h/", name: b}
              - name: c
                tcp: h:1
                tcp: h:2
            scrape: nope

            """
        #expect(diagnostics(text) == [
            "y.yml:2:34: checks[0]: duplicate key \"name\" (first at line 2, column 6)",
            "y.yml:5:5: checks[1]: duplicate key \"tcp\" (first at line 4, column 5)",
            "y.yml:6:9: scrape: expected a list, got a scalar",
        ])
    }

    @Test func syntaxErrorStopsTheWalkButNamesItsPlace() {
        #expect(diagnostics("checks:\n  - name: [unclosed\n") .count == 1)
        #expect(diagnostics("a: b: c\n") == ["y.yml:1:5: YAML syntax error: mapping values are not allowed in this context"
                                              + "; check this line's indentation against the line above, or quote a value that contains \": \""])
    }

    @Test func syntaxErrorsOfHandEditingSayWhatToDo() {
        // An item of a list outdented by two spaces, as when a key is pasted at the wrong level.
        let outdented = "sql:\n  - name: cost\n    database: app.db\n  query: SELECT 1\n"
        #expect(diagnostics(outdented) == [
            "y.yml:4:3: YAML syntax error: did not find expected '-' indicator (while parsing a block collection at line 2, column 3)"
                + "; check this line's indentation: the entries of one list or mapping start at the same column",
        ])
        #expect(diagnostics("checks:\n  - name: a\n\ttcp: h:1\n").first?.hasSuffix("; indent with spaces, not tabs") == true)
        #expect(diagnostics("a: @b\n").first?.hasSuffix("; quote the value") == true)
    }

    @Test func anchorsAndAliasesWork() throws {
        let text = """
            checks:
              - {name: a, http: "http://h/", interval: &every 1m}
              - {name: b, http: "http://h/b", interval: *every}
            alerts:
              - name: A
                check_failing: a
                labels: &team {team: core}
              - name: B
                check_failing: b
                labels: *team

            """
        #expect(diagnostics(text) == [])
        let config = try ConfigLoader.parse(text: text, fileName: "y.yml", environment: [:]).get()
        #expect(config.checks[1].interval == 60_000 && config.alerts[1].labels == ["team": "core"])
    }
}
