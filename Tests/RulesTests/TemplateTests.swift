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
    ])
    func reportsPosition(text: String, line: Int, column: Int, message: String) {
        #expect(throws: TemplateError(line: line, column: column, message: message)) { try Template.parse(text) }
    }
}
