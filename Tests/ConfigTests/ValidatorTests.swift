import Config
import Synchronization
import Testing

/// The expression seam: which texts reach the injected parsers.
@Suite struct ValidatorTests {
    final class Recorder: Sendable {
        let promql = Mutex<[String]>([])
        let templates = Mutex<[String]>([])

        var validator: ExpressionValidator {
            ExpressionValidator(
                promql: { [self] text in promql.withLock { $0.append(text) }; return nil },
                template: { [self] text in templates.withLock { $0.append(text) }; return nil })
        }
    }

    @Test func everyExpressionSelectorAndTemplateIsValidated() throws {
        let recorder = Recorder()
        let text = """
            checks:
              - {name: api, http: "http://h/"}
            rule_files: [rules/validator-ok.rules.yml]
            alerts:
              - {name: A, check_failing: api, labels: {team: "{{ $labels.team }}"}}
              - name: B
                error_rate: {total: t_total, errors: e_total}
                above: 1
              - name: C
                latency: {histogram: h_seconds, quantile: 0.9}
                above: 1
              - name: D
                daily_cost: {counter: c_total}
                above: 1
              - name: E
                daily_cost: {series: s_today}
                above: 1
              - name: F
                expr: up == 0
                annotations: {summary: "S {{ $value }}"}

            """
        let directory = Fixtures.testdata + "/good"
        _ = try ConfigLoader.parse(text: text, fileName: "v.yml", directory: directory, environment: [:],
                                   validator: recorder.validator).get()
        #expect(recorder.promql.withLock { $0 } == ["t_total", "e_total", "h_seconds", "c_total", "s_today", "up == 0",
                                                    "sum(rate(x[5m]))", "job:x:rate5m > 1"])
        #expect(recorder.templates.withLock { $0 }.sorted() == ["S {{ $value }}", "r {{ $labels.job }}", "{{ $labels.team }}"])
    }

    @Test func recordingRuleLabelsAreNotTemplates() throws {
        let recorder = Recorder()
        _ = try ConfigLoader.loadRuleFile(path: Fixtures.testdata + "/good/rules/validator-ok.rules.yml",
                                          validator: recorder.validator).get()
        #expect(recorder.templates.withLock { $0 } == ["r {{ $labels.job }}"])
    }
}
