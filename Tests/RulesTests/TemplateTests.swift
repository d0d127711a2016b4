import Foundation
import Testing
import Model
@testable import Rules

/// Expected outputs come from the real Prometheus (`testdata/templates/generate.py` runs promtool).
@Suite struct TemplateConformanceTests {
    struct Expected: Decodable {
        struct Case: Decodable { var template: String; var outputs: [String] }
        var values: [String]
        var cases: [Case]
    }

    static let expected: Expected = {
        let url = Bundle.module.url(forResource: "testdata/templates/expected", withExtension: "json")!
        return try! JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
    }()

    static let query: QueryFunc = { expr, _ in
        switch expr {
        // In the order promtool's engine returned them.
        case "up": return [QuerySample(labels: ["__name__": "up", "instance": "b:2"], value: 0),
                           QuerySample(labels: ["__name__": "up", "instance": "a:1"], value: 1)]
        default: return []
        }
    }

    @Test(arguments: 0..<expected.cases.count)
    func matchesPrometheus(index: Int) throws {
        let testCase = Self.expected.cases[index]
        let template = try Template.parse(testCase.template)
        for (valueIndex, valueText) in Self.expected.values.enumerated() {
            let value = GoParse.float(valueText)!
            let labels: Labels = ["__name__": "m", "case": String(format: "%02d", valueIndex), "job": "api",
                                  "instance": "host.example.com:9090", "path": "/a \"b\"", "alertname": "T"]
            let data = AlertTemplateData(labels: labels.removing(["alertname"]), externalLabels: ["env": "prod"],
                                         externalURL: "http://lookout.example:9464/prefix", value: value)
            let got: String
            do { got = try template.expand(data, name: "__alert_T", query: Self.query, at: 0) } catch {
                got = "<error expanding template: \(error.message)>"
            }
            #expect(got == testCase.outputs[valueIndex], "value \(valueText)")
            if got != testCase.outputs[valueIndex] { break }
        }
    }
}

@Suite struct TemplateParseErrorTests {
    @Test(arguments: [
        ("{{ $labels.job }", 1, 16, "unexpected \"}\" in command"),
        ("{{ $labels.job ", 1, 1, "unclosed action"),
        ("ok\n  {{ if true }}x", 2, 3, "unexpected EOF: {{if}} has no {{end}}"),
        ("{{ nosuch 1 }}", 1, 4, "function \"nosuch\" not defined"),
        ("a {{ end }}", 1, 3, "unexpected {{end}}"),
        ("{{ \"abc }}", 1, 4, "unterminated quoted string"),
        ("line\n\n {{ 1 | }}", 3, 7, "missing command after |"),
        // Messages as promtool's (Go's text/template) for the same texts.
        ("{{if 1}}{{define \"x\"}}a{{end}}{{end}}", 1, 9, "unexpected <define> in command"),
        ("{{template x}}", 1, 12, "unexpected \"x\" in template clause"),
        ("{{template}}", 1, 1, "unexpected \"}}\" in template clause"),
        ("{{define \"x\"}}a{{end}}{{define \"x\"}}b{{end}}", 1, 23, "template: multiple definition of template \"x\""),
        ("{{range $labels}}{{block \"b\" .}}{{break}}{{end}}{{end}}", 1, 33, "{{break}} outside {{range}}"),
        ("{{block \"b\"}}x{{end}}", 1, 1, "missing value for block clause"),
        ("{{define \"x\" 1}}a{{end}}", 1, 14, "unexpected \"1\" in define clause"),
        ("{{define \"x\"}}a", 1, 1, "unexpected EOF: {{define}} has no {{end}}"),
    ])
    func reportsPosition(text: String, line: Int, column: Int, message: String) {
        #expect(throws: TemplateError(line: line, column: column, message: message)) { try Template.parse(text) }
    }
}

@Suite struct TemplateDefinitionTests {
    static func expand(_ text: String) throws -> String {
        try Template.parse(text).expand(AlertTemplateData(labels: ["job": "api"], value: 2), name: "__alert_T")
    }

    @Test("a definition calling itself stops at the depth limit instead of overflowing the stack")
    func recursionIsBounded() throws {
        let error = #expect(throws: TemplateExpansionError.self) {
            try Self.expand("{{define \"r\"}}x{{template \"r\" .}}{{end}}{{template \"r\" 1}}")
        }
        #expect(error?.message.hasSuffix("exceeded maximum template depth (\(TemplateExecutor.maxCallDepth))") == true)
    }

    @Test("a defined template sees only $ (its dot), not the caller's variables")
    func variablesDoNotCross() throws {
        #expect(try Self.expand("{{define \"d\"}}{{$.job}}{{end}}{{template \"d\" $labels}}") == "api")
        #expect(throws: TemplateExpansionError.self) { try Self.expand("{{define \"d\"}}{{$labels}}{{end}}{{template \"d\" .}}") }
    }

    @Test("{{break}} inside a definition called from a range is refused: it has no range of its own")
    func breakInDefinition() {
        #expect(throws: TemplateError.self) { try Template.parse("{{range $labels}}{{template \"b\"}}{{end}}{{define \"b\"}}{{break}}{{end}}") }
    }
}
