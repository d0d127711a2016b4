import Model
import Testing
@testable import Server

@Suite("Prometheus alerts, rules and targets API")
struct RulesAPITests {
    static let firing = Alert(labels: ["alertname": "ApiDown", "check": "api-health", "severity": "critical"],
                              annotations: ["summary": "API <down>"], state: .firing, value: 0,
                              activeAt: 1_700_000_000_000, firedAt: 1_700_000_300_000)
    static let pending = Alert(labels: ["alertname": "HighMemory"], state: .pending, value: 0.8312,
                               activeAt: 1_700_000_100_250)

    func deps() throws -> ServerDependencies {
        var deps = try Fixtures.dependencies()
        deps.alerts = { [RulesAPITests.firing, RulesAPITests.pending] }
        deps.ruleGroups = {
            [RuleGroupInfo(name: "lookout", file: "/etc/lookout/lookout.yml", intervalMilliseconds: 15_000, rules: [
                RuleInfo(name: "ApiDown", query: "probe_success{check=\"api-health\"} == 0", labels: ["severity": "critical"],
                         kind: .alerting(forMilliseconds: 300_000, keepFiringForMilliseconds: 0, alerts: [RulesAPITests.firing]),
                         health: .ok, evaluationSeconds: 0.000_25, lastEvaluation: 1_700_000_310_000),
                RuleInfo(name: "job:up:sum", query: "sum by (job) (up)", kind: .recording, health: .err,
                         lastError: "boom", evaluationSeconds: 0.001),
            ], evaluationSeconds: 0.0013, lastEvaluation: 1_700_000_310_000)]
        }
        deps.targets = {
            [TargetInfo(labels: ["job": "api", "instance": "127.0.0.1:8000", "team": "core"], scrapeURL: "http://127.0.0.1:8000/metrics",
                        health: .down, lastError: "connection refused", lastScrape: 1_700_000_000_500, lastScrapeSeconds: 0.0021,
                        intervalMilliseconds: 15_000, timeoutMilliseconds: 10_000)]
        }
        return deps
    }

    @Test("alerts")
    func alerts() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let response = try await client.get("/api/v1/alerts")
            #expect(response.body == #"{"status":"success","data":{"alerts":[{"labels":{"alertname":"ApiDown","check":"api-health","severity":"critical"},"annotations":{"summary":"API \u003cdown\u003e"},"state":"firing","activeAt":"2023-11-14T22:13:20Z","value":"0e+00"},{"labels":{"alertname":"HighMemory"},"annotations":{},"state":"pending","activeAt":"2023-11-14T22:15:00.25Z","value":"8.312e-01"}]}}"#)
        }
    }

    @Test("rules, with type filter")
    func rules() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let all = try await client.get("/api/v1/rules")
            #expect(all.body == #"{"status":"success","data":{"groups":[{"name":"lookout","file":"/etc/lookout/lookout.yml","rules":[{"state":"firing","name":"ApiDown","query":"probe_success{check=\"api-health\"} == 0","duration":300,"keepFiringFor":0,"labels":{"severity":"critical"},"annotations":{},"alerts":[{"labels":{"alertname":"ApiDown","check":"api-health","severity":"critical"},"annotations":{"summary":"API \u003cdown\u003e"},"state":"firing","activeAt":"2023-11-14T22:13:20Z","value":"0e+00"}],"health":"ok","evaluationTime":0.00025,"lastEvaluation":"2023-11-14T22:18:30Z","type":"alerting"},{"name":"job:up:sum","query":"sum by (job) (up)","health":"err","lastError":"boom","evaluationTime":0.001,"lastEvaluation":"0001-01-01T00:00:00Z","type":"recording"}],"interval":15,"limit":0,"evaluationTime":0.0013,"lastEvaluation":"2023-11-14T22:18:30Z"}]}}"#)
            let recordOnly = try await client.get("/api/v1/rules?type=record")
            #expect(recordOnly.body.contains("job:up:sum") && !recordOnly.body.contains("ApiDown"))
            #expect(try await client.get("/api/v1/rules?type=nope").status == 400)
        }
    }

    @Test("targets")
    func targets() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let response = try await client.get("/api/v1/targets")
            #expect(response.body == #"{"status":"success","data":{"activeTargets":[{"discoveredLabels":{"__address__":"127.0.0.1:8000","job":"api","team":"core"},"labels":{"instance":"127.0.0.1:8000","job":"api","team":"core"},"scrapePool":"api","scrapeUrl":"http://127.0.0.1:8000/metrics","globalUrl":"http://127.0.0.1:8000/metrics","lastError":"connection refused","lastScrape":"2023-11-14T22:13:20.5Z","lastScrapeDuration":0.0021,"health":"down","scrapeInterval":"15s","scrapeTimeout":"10s"}],"droppedTargets":[]}}"#)
        }
    }
}

@Suite("Endpoints Grafana probes")
struct GrafanaEndpointTests {
    @Test("buildinfo, metadata and exemplars answer in Prometheus' shapes")
    func probes() async throws {
        try await withServer(Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            #expect(try await client.get("/api/v1/status/buildinfo").body == #"{"status":"success","data":{"version":"2.42.0","revision":"lookout","branch":"","buildUser":"","buildDate":"","goVersion":""}}"#)
            #expect(try await client.get("/api/v1/metadata").body == #"{"status":"success","data":{}}"#)
            #expect(try await client.post("/api/v1/query_exemplars", form: "query=up").body == #"{"status":"success","data":[]}"#)
        }
    }
}
