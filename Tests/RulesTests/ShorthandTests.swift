import Testing
import Config
import Model
@testable import Rules

@Suite struct ShorthandTests {
    static let yaml = """
    checks:
      - name: api-health
        http: http://127.0.0.1:1/health
    alerts:
      - name: ApiDown
        check_failing: api-health
        for: 5m
        severity: critical
      - name: ErrorRateSpike
        error_rate:
          total: http_requests_total{job="api"}
          errors: http_requests_total{job="api",status=~"5.."}
          window: 5m
        above: 0.10
        for: 5m
        severity: critical
      - name: ErrorRateByInstance
        error_rate:
          total: http_requests_total
          errors: http_requests_total{status=~"5.."}
          window: 1m
          by: [instance]
        above: 0.5
      - name: SlowApi
        latency:
          histogram: http_request_duration_seconds{job="api"}
          quantile: 0.95
          window: 5m
        above: 5s
        for: 10m
        severity: warning
      - name: HighDailyCost
        daily_cost:
          counter: llm_cost_usd_total
        above: 50
        severity: warning
      - name: SqlCost
        daily_cost:
          series: api_calls_cost
        above: 20
      - name: HighMemory
        expr: 1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.8
        for: 10m
        labels: {team: core}
        annotations:
          summary: "Memory at {{ $value | humanizePercentage }}"
    """

    static func rules() throws -> [String: RuleSpec] {
        let config = try ConfigLoader.parse(text: yaml, fileName: "test.yml", environment: [:]).get()
        return Dictionary(uniqueKeysWithValues: config.alerts.map { ($0.name, Shorthand.compile($0)) })
    }

    @Test func compiledExpressions() throws {
        let rules = try Self.rules()
        #expect(rules["ApiDown"]?.expr == #"probe_success{check="api-health"} == 0"#)
        #expect(rules["ErrorRateSpike"]?.expr ==
            #"(sum (rate(http_requests_total{job="api",status=~"5.."}[5m])) / sum (rate(http_requests_total{job="api"}[5m])) > 0.1) and sum (rate(http_requests_total{job="api"}[5m])) > 0"#)
        #expect(rules["ErrorRateByInstance"]?.expr ==
            #"(sum by (instance) (rate(http_requests_total{status=~"5.."}[1m])) / sum by (instance) (rate(http_requests_total[1m])) > 0.5) and sum by (instance) (rate(http_requests_total[1m])) > 0"#)
        #expect(rules["SlowApi"]?.expr ==
            #"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m]))) > 5"#)
        #expect(rules["HighDailyCost"]?.expr == "sum(increase(llm_cost_usd_total[today])) > 50")
        #expect(rules["SqlCost"]?.expr == "sum(api_calls_cost) > 20")
        #expect(rules["HighMemory"]?.expr == "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.8")
    }

    @Test func labelsAndDefaultSummaries() throws {
        let rules = try Self.rules()
        #expect(rules["ApiDown"]?.labels == ["severity": "critical"])
        #expect(rules["ApiDown"]?.forDuration == 300_000)
        #expect(rules["ApiDown"]?.annotations["summary"] == "check api-health failing for 5m")
        #expect(rules["ErrorRateSpike"]?.annotations["summary"] == "error rate {{ $value | humanizePercentage }} > 10% for 5m on api")
        #expect(rules["ErrorRateByInstance"]?.annotations["summary"] == "error rate {{ $value | humanizePercentage }} > 50% on {{ $labels.instance }}")
        #expect(rules["SlowApi"]?.annotations["summary"] == "p95 latency {{ $value | humanizeDuration }} > 5s for 10m on api")
        #expect(rules["HighMemory"]?.annotations["summary"] == "Memory at {{ $value | humanizePercentage }}")
        #expect(rules["HighMemory"]?.labels == ["team": "core"])
        let summary = try Template.parse(rules["ErrorRateSpike"]!.annotations["summary"]!)
            .expand(AlertTemplateData(labels: [:], value: 0.1243), name: "__alert_ErrorRateSpike")
        #expect(summary == "error rate 12.43% > 10% for 5m on api")
    }
}

@Suite struct RuleValidationTests {
    @Test func templateAndExpressionErrorsPointIntoTheConfigFile() {
        let yaml = """
        alerts:
          - name: Broken
            expr: up == 0
            annotations:
              summary: "{{ $labels.job }} {{ if }}"
          - name: BadExpr
            expr: sum(up
        """
        let result = ConfigLoader.parse(text: yaml, fileName: "lookout.yml", environment: [:], validator: RuleValidation.validator)
        guard case .failure(let errors) = result else { Issue.record("expected errors"); return }
        let text = errors.diagnostics.map(\.description).joined(separator: "\n")
        #expect(text.contains("missing value for command"), "\(text)")
        #expect(text.contains("lookout.yml:5:"), "\(text)")
        #expect(text.contains("unclosed left parenthesis"), "\(text)")
        #expect(text.contains("lookout.yml:7:"), "\(text)")
    }
}
