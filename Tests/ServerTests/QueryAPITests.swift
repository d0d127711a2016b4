import Foundation
import Model
import Testing
@testable import Server

/// Deterministic stand-in for the PromQL engine: a table of expressions with fixed results.
struct FakeEngine {
    struct PlainError: Error, CustomStringConvertible { var description: String }

    static func instant(_ expression: String, _ time: Timestamp, _ timeout: Duration) async throws -> APIQueryResult {
        switch expression {
        case "up":
            return .vector([
                LabeledSample(["__name__": "up", "job": "api", "instance": "127.0.0.1:8000"], Sample(time, 1)),
                LabeledSample(["__name__": "up", "job": "api", "instance": "127.0.0.1:8001"], Sample(time, 0)),
            ])
        case "time()": return .scalar(Sample(time, Double(time) / 1000))
        case "\"hello\"": return .string(time, "hello")
        case "specials": return .vector([LabeledSample(["k": "<v>"], Sample(time, .infinity)),
                                         LabeledSample(["k": "b"], Sample(time, -.infinity)),
                                         LabeledSample(["k": "c"], Sample(time, .nan)),
                                         LabeledSample(["k": "d"], Sample(time, 1e-7)),
                                         LabeledSample(["k": "e"], Sample(time, 0.1 + 0.2))])
        case "timeout_seconds": return .scalar(Sample(time, Double(timeout.components.seconds)))
        case "slow": throw APIError(.timeout, "query timed out in query execution")
        case "sleepy":
            // Blocks its thread as the synchronous engine does, ignoring cancellation, until the
            // test has seen the timeout's answer (30 s at most).
            sleepyGate.wait(seconds: 30)
            return .scalar(Sample(time, 1))
        case "boom": throw PlainError(description: "expanding series: disk on fire")
        default: throw APIError.invalidParameter("query", "1:\(expression.count + 1): parse error: unexpected end of input")
        }
    }

    /// Holds the "sleepy" query; the timeout test opens it once it has its answer.
    static let sleepyGate = Gate()

    final class Gate: @unchecked Sendable {
        private let condition = NSCondition()
        private var isOpen = false

        func wait(seconds: Double) {
            let deadline = Date().addingTimeInterval(seconds)
            condition.lock()
            while !isOpen && condition.wait(until: deadline) {}
            condition.unlock()
        }

        func open() {
            condition.lock()
            isOpen = true
            condition.broadcast()
            condition.unlock()
        }
    }

    static func range(_ expression: String, _ start: Timestamp, _ end: Timestamp, _ step: Int64, _ timeout: Duration) async throws -> APIQueryResult {
        guard expression == "up" else { return try await instant(expression, start, timeout) }
        let times = stride(from: start, through: end, by: Int(step)).map { $0 }
        return .matrix([Series(["__name__": "up", "job": "api"], times.map { Sample($0, 1) })])
    }
}

@Suite("Prometheus query API")
struct QueryAPITests {
    func deps() throws -> ServerDependencies {
        var deps = try Fixtures.dependencies()
        deps.instantQuery = FakeEngine.instant
        deps.rangeQuery = FakeEngine.range
        return deps
    }

    @Test("instant vector has Prometheus' exact shape")
    func instantVector() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let response = try await client.get("/api/v1/query?query=up&time=1700000000")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.body == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"127.0.0.1:8000","job":"api"},"value":[1700000000,"1"]},{"metric":{"__name__":"up","instance":"127.0.0.1:8001","job":"api"},"value":[1700000000,"0"]}]}}"#)
        }
    }

    @Test("time as RFC 3339, unix seconds with fraction, or defaulting to now")
    func timeParameter() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let rfc = try await client.get("/api/v1/query?query=time()&time=2023-11-14T22:13:20.5Z")
            #expect(rfc.body == #"{"status":"success","data":{"resultType":"scalar","result":[1700000000.500,"1700000000.5"]}}"#)
            let offset = try await client.get("/api/v1/query?query=time()&time=2023-11-14T23:13:20%2B01:00")
            #expect(offset.body == #"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"1700000000"]}}"#)
            let float = try await client.get("/api/v1/query?query=time()&time=1700000000.123")
            #expect(float.body == #"{"status":"success","data":{"resultType":"scalar","result":[1700000000.123,"1700000000.123"]}}"#)
            let now = try await client.get("/api/v1/query?query=time()")
            #expect(now.body.contains("[1700000000,"))
        }
    }

    @Test("string results and special float values")
    func stringsAndSpecials() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let string = try await client.get("/api/v1/query?query=%22hello%22&time=10")
            #expect(string.body == #"{"status":"success","data":{"resultType":"string","result":[10,"hello"]}}"#)
            let specials = try await client.get("/api/v1/query?query=specials&time=10.05")
            #expect(specials.body == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"k":"\u003cv\u003e"},"value":[10.050,"+Inf"]},{"metric":{"k":"b"},"value":[10.050,"-Inf"]},{"metric":{"k":"c"},"value":[10.050,"NaN"]},{"metric":{"k":"d"},"value":[10.050,"1e-07"]},{"metric":{"k":"e"},"value":[10.050,"0.30000000000000004"]}]}}"#)
        }
    }

    @Test("form POST is the same as GET")
    func formPost() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let get = try await client.get("/api/v1/query?query=up&time=1700000000")
            let post = try await client.post("/api/v1/query", form: "query=up&time=1700000000")
            #expect(post.status == 200)
            #expect(post.body == get.body)
            let range = try await client.post("/api/v1/query_range", form: "query=up&start=0&end=30&step=15s")
            #expect(range.body == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"api"},"values":[[0,"1"],[15,"1"],[30,"1"]]}]}}"#)
        }
    }

    @Test("timeout parameter reaches the engine, default two minutes")
    func timeout() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            #expect(try await client.get("/api/v1/query?query=timeout_seconds&time=1").body.contains(#""120"]"#))
            #expect(try await client.get("/api/v1/query?query=timeout_seconds&time=1&timeout=5s").body.contains(#""5"]"#))
            let clock = ContinuousClock()
            let start = clock.now
            let slow = try await client.get("/api/v1/query?query=sleepy&time=1&timeout=0.2")
            #expect(slow.status == 503)
            #expect(slow.body == #"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#)
            // Answered at the timeout, long before the query could finish (30 s): the bound is loose
            // so that a loaded machine cannot fail it.
            #expect(clock.now - start < .seconds(20))
            FakeEngine.sleepyGate.open()
            let bad = try await client.get("/api/v1/query?query=up&timeout=soon")
            #expect(bad.status == 400)
            #expect(bad.body == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration"}"#)
        }
    }

    @Test("errors have Prometheus' types and status codes", arguments: [
        ("/api/v1/query?query=sum(", 400, #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected end of input"}"#),
        ("/api/v1/query?query=", 400, #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error: no expression found in input"}"#),
        ("/api/v1/query?query=up&time=yesterday", 400, #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"time\": cannot parse \"yesterday\" to a valid timestamp"}"#),
        ("/api/v1/query?query=boom", 422, #"{"status":"error","errorType":"execution","error":"expanding series: disk on fire"}"#),
        ("/api/v1/query?query=slow", 503, #"{"status":"error","errorType":"timeout","error":"query timed out in query execution"}"#),
        ("/api/v1/query_range?query=up&start=100&end=0&step=1", 400, #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"end\": end timestamp must not be before start time"}"#),
        ("/api/v1/query_range?query=up&start=0&end=100&step=0", 400, #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"}"#),
        ("/api/v1/query_range?query=up&start=0&end=100&step=fast", 400, #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"step\": cannot parse \"fast\" to a valid duration"}"#),
        ("/api/v1/query_range?query=up&start=0&end=11001&step=1", 400, #"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"}"#),
        ("/api/v1/query_range?query=up&end=100&step=1", 400, #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"start\": cannot parse \"\" to a valid timestamp"}"#),
        ("/api/v1/query?query=%zz", 400, #"{"status":"error","errorType":"bad_data","error":"error parsing form values: invalid URL escape \"%zz\""}"#),
    ])
    func errors(path: String, status: Int, body: String) async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let response = try await client.get(path)
            #expect(response.status == status)
            #expect(response.body == body)
        }
    }

    @Test("11,000 points is still allowed")
    func pointLimitBoundary() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            #expect(try await client.get("/api/v1/query_range?query=time()&start=0&end=11000&step=1").status == 200)
        }
    }

    @Test("a malformed form body is bad_data, not a crash")
    func malformedBody() async throws {
        try await withServer(deps()) { (client: HTTPTestClient) async throws in
            let response = try await client.post("/api/v1/query", form: "query=up&time=%G1")
            #expect(response.status == 400)
            #expect(response.body == #"{"status":"error","errorType":"bad_data","error":"error parsing form values: invalid URL escape \"%G1\""}"#)
            let huge = try await client.post("/api/v1/query", form: "query=" + String(repeating: "x", count: 1_100_000))
            #expect(huge.status == 400 || huge.status == 413)
        }
    }
}
