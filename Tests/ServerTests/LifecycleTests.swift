import Logging
import Model
import Synchronization
import Testing
@testable import Server

@Suite("Health, readiness, reload and /metrics")
struct LifecycleTests {
    struct ReloadFailed: Error, CustomStringConvertible { var description: String { "rules.yml:3:5: unknown key \"exprr\"" } }

    @Test("healthy and ready")
    func health() async throws {
        let ready = Mutex(false)
        var deps = try Fixtures.dependencies()
        deps.isReady = { ready.withLock { $0 } }
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let healthy = try await client.get("/-/healthy")
            #expect(healthy.status == 200)
            #expect(healthy.body == "Lookout is Healthy.\n")
            #expect(try await client.get("/-/ready").status == 503)
            ready.withLock { $0 = true }
            #expect(try await client.get("/-/ready").body == "Lookout is Ready.\n")
        }
    }

    @Test("reload only by POST or PUT, reporting failures")
    func reload() async throws {
        let calls = Mutex(0)
        var deps = try Fixtures.dependencies()
        deps.reload = {
            let count = calls.withLock { $0 += 1; return $0 }
            if count == 2 { throw ReloadFailed() }
        }
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            #expect(try await client.send("POST", "/-/reload").status == 200)
            let failed = try await client.send("PUT", "/-/reload")
            #expect(failed.status == 500)
            #expect(failed.body == "failed to reload config: rules.yml:3:5: unknown key \"exprr\"\n")
            #expect(try await client.get("/-/reload").status == 405)
            #expect(calls.withLock { $0 } == 2)
        }
    }

    @Test("/metrics has Lookout's metrics and process metrics in the text format")
    func metrics() async throws {
        var deps = try Fixtures.dependencies()
        deps.metrics = {
            var text = MetricsText()
            text.family("lookout_notifications_total", .counter, help: "Notifications by channel and result.")
            text.sample("lookout_notifications_total", ["channel": "team-slack", "result": "sent"], 3)
            text.sample("lookout_notifications_total", ["channel": "pager\"x", "result": "failed"], 1)
            text.single("lookout_notification_queue_length", .gauge, help: "Queued.", 0)
            return text
        }
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let response = try await client.get("/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.body.hasPrefix("""
            # HELP lookout_notifications_total Notifications by channel and result.
            # TYPE lookout_notifications_total counter
            lookout_notifications_total{channel="team-slack",result="sent"} 3
            lookout_notifications_total{channel="pager\\"x",result="failed"} 1
            # HELP lookout_notification_queue_length Queued.
            # TYPE lookout_notification_queue_length gauge
            lookout_notification_queue_length 0

            """))
            for name in ["process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds"] {
                let line = response.body.split(separator: "\n").first { $0.hasPrefix(name + " ") }
                let value = line.flatMap { Double($0.split(separator: " ")[1]) }
                #expect(value != nil && value! > 0, "\(name)")
            }
        }
    }

    @Test("run() stops when its task is cancelled")
    func cancellation() async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = try APIServer(dependencies: Fixtures.dependencies(), listen: "127.0.0.1:0",
                                   logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), onListening: { continuation.yield($0) })
        let task = Task { try await server.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        #expect(try await HTTPTestClient(port: port).get("/-/healthy").status == 200)
        task.cancel()
        _ = await task.result
        await #expect(throws: (any Error).self) { try await HTTPTestClient(port: port).get("/-/healthy") }
    }

    @Test("listen addresses", arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464), (":9464", "0.0.0.0", 9464), ("[::1]:80", "::1", 80),
    ])
    func listen(text: String, host: String, port: Int) {
        let parsed = APIServer.parseListen(text)
        #expect(parsed?.0 == host && parsed?.1 == port)
    }

    @Test func badListen() {
        #expect(APIServer.parseListen("localhost") == nil)
        #expect(APIServer.parseListen("h:99999") == nil)
    }
}

@Suite("Lookout's own metrics")
struct LookoutMetricsTests {
    @Test("names, types and labels as SPEC.md lists them")
    func text() {
        let metrics = LookoutMetrics(notifications: [("team-slack", "sent", 12), ("pager", "failed", 1)], notificationQueueLength: 2,
                                     ruleEvaluationSeconds: [("lookout", 0.0125)], scrapeDurationSeconds: [("api", "127.0.0.1:8000", 0.004)],
                                     storageBytes: 52_428_800)
        #expect(metrics.text.text == """
        # HELP lookout_notifications_total Notifications handed to channels, by channel and result.
        # TYPE lookout_notifications_total counter
        lookout_notifications_total{channel="team-slack",result="sent"} 12
        lookout_notifications_total{channel="pager",result="failed"} 1
        # HELP lookout_notification_queue_length Notifications waiting in the durable outbox.
        # TYPE lookout_notification_queue_length gauge
        lookout_notification_queue_length 2
        # HELP lookout_rule_evaluation_seconds Duration of the last evaluation of each rule group.
        # TYPE lookout_rule_evaluation_seconds gauge
        lookout_rule_evaluation_seconds{rule_group="lookout"} 0.0125
        # HELP lookout_scrape_duration_seconds Duration of the last scrape of each target.
        # TYPE lookout_scrape_duration_seconds gauge
        lookout_scrape_duration_seconds{instance="127.0.0.1:8000",job="api"} 0.004
        # HELP lookout_storage_bytes Size of the SQLite database files in bytes.
        # TYPE lookout_storage_bytes gauge
        lookout_storage_bytes 5.24288e+07

        """)
    }
}

@Suite("A known path with another method")
struct MethodNotAllowedTests {
    @Test("405 with Allow, as Prometheus answers; unknown paths stay 404")
    func methodNotAllowed() async throws {
        try await withServer(try Fixtures.dependencies()) { (client: HTTPTestClient) async throws in
            let query = try await client.send("DELETE", "/api/v1/query")
            #expect(query.status == 405)
            #expect(query.header("Allow") == "GET, POST")
            let silence = try await client.send("PUT", "/api/v2/silence/abc")
            #expect(silence.status == 405)
            #expect(silence.header("Allow") == "GET, DELETE")
            let page = try await client.send("POST", "/")
            #expect(page.status == 405)
            #expect(page.header("Allow") == "GET")
            #expect(try await client.send("DELETE", "/api/v1/nothing").status == 404)
            #expect(try await client.get("/api/v2/silence/abc/extra").status == 404)
            #expect(try await client.get("/api/v1/query?query=1").status == 200)
        }
    }
}
