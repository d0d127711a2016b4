import Curl
import Testing
import TestSupport

@Suite("HTTP through the curl loop")
struct HTTPTests {
    @Test func getReturnsStatusHeadersBodyAndTimings() async throws {
        let response = try await Fixtures.get("/ok")
        #expect(response.status == 200)
        #expect(text(response.body) == "ok healthy")
        #expect(response.header("content-type") == "text/plain")
        #expect(response.header("Content-Length") == "10")
        #expect(response.timings.total > .zero)
        #expect(response.timings.firstByte <= response.timings.total)
        #expect(response.effectiveURL.hasSuffix("/ok"))
        #expect(response.redirectCount == 0)
        #expect(response.certificateExpiry == nil)
    }

    @Test(arguments: ["POST", "PUT", "DELETE"])
    func methodHeadersAndBodyReachTheServer(method: String) async throws {
        let response = try await Fixtures.get("/echo") { request in
            request.method = method
            request.headers = [("X-Probe", "lookout"), ("Content-Type", "application/json")]
            request.body = Array(#"{"a":"b\u0000"}"#.utf8)
        }
        let echoed = text(response.body)
        #expect(response.status == 200)
        #expect(echoed.contains("\"method\": \"\(method)\""))
        #expect(echoed.contains("\"X-Probe\": \"lookout\""))
        #expect(echoed.contains(#""body": "{\"a\":\"b\\u0000\"}""#))
    }

    @Test func headRequestHasNoBody() async throws {
        let response = try await Fixtures.get("/ok") { $0.method = "HEAD" }
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test func nonSuccessStatusIsAResponseNotAnError() async throws {
        let response = try await Fixtures.get("/respond?status=503&body=down")
        #expect(response.status == 503)
        #expect(text(response.body) == "down")
    }

    /// The server would answer after 10 s; a timeout error proves the 200 ms limit ended the transfer.
    @Test func timeoutFailsAndIsRetryable() async throws {
        let error = await curlError { _ = try await Fixtures.get("/slow?ms=10000") { $0.timeout = .milliseconds(200) } }
        #expect(error?.kind == .timeout)
        #expect(error?.isRetryable == true)
    }

    @Test func refusedConnectionIsClassified() async throws {
        let port = Fixtures.closedPort()
        let error = await curlError {
            _ = try await Fixtures.loop.get().perform(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.kind == .connectionRefused)
        #expect(error?.code == 7)
        #expect(error?.isRetryable == true)
        #expect(error?.message.contains("127.0.0.1") == true)
    }

    @Test func unresolvableHostIsADNSFailure() async throws {
        let error = await curlError {
            _ = try await Fixtures.loop.get().perform(HTTPRequest(url: "http://user:secret@\(unresolvableHost)/x?token=secret"))
        }
        #expect(error?.kind == .dns)
        #expect(error.map { !"\($0)".contains("secret") } == true)
    }

    @Test func gzipBodyIsDecoded() async throws {
        let response = try await Fixtures.get("/gzip") { $0.acceptGzip = true }
        #expect(response.header("Content-Encoding") == "gzip")
        #expect(text(response.body) == String(repeating: "compressed ", count: 100))
    }

    @Test func redirectsAreFollowedAndCounted() async throws {
        let response = try await Fixtures.get("/redirect/chain/3") { $0.followRedirects = true }
        #expect(response.status == 200)
        #expect(response.redirectCount == 3)
        #expect(response.effectiveURL.hasSuffix("/ok"))
        let unfollowed = try await Fixtures.get("/redirect/chain/3")
        #expect(unfollowed.status == 302)
        #expect(unfollowed.header("Location") == "/redirect/chain/2")
    }

    @Test func redirectLoopStopsAtTheLimit() async throws {
        let error = await curlError {
            _ = try await Fixtures.get("/redirect/loop") { $0.followRedirects = true; $0.maxRedirects = 5 }
        }
        #expect(error?.kind == .tooManyRedirects)
        #expect(error?.isRetryable == false)
    }

    @Test(arguments: ["/big?n=100000", "/big?n=100000&chunked=1"])
    func bodyOverTheLimitAborts(path: String) async throws {
        let error = await curlError { _ = try await Fixtures.get(path) { $0.maxBodyBytes = 1000 } }
        #expect(error?.kind == .tooLarge)
        let within = try await Fixtures.get(path) { $0.maxBodyBytes = 100_000 }
        #expect(within.body.count == 100_000)
    }

    @Test func resetMidBodyIsALostConnection() async throws {
        let error = await curlError { _ = try await Fixtures.get("/reset") }
        #expect(error?.kind == .connectionLost)
        #expect(error?.isRetryable == true)
    }

    @Test func hundredConcurrentRequestsAllSucceed() async throws {
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<100 {
                group.addTask { try await Fixtures.get("/respond?status=200&body=\(index)").status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.count == 100)
        #expect(statuses.allSatisfy { $0 == 200 })
    }

    @Test("idle connections stay pooled, one per concurrent request earlier, not four per transfer in flight")
    func idleConnectionsAreKeptForReuse() async throws {
        let loop = try CurlLoop()   // its own pool: other tests' connections cannot be reused here
        defer { loop.shutdown() }
        let url = try await Fixtures.http().url("/peer?delay_ms=300")
        func round() async throws -> [String] {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 { group.addTask { String(decoding: try await loop.perform(HTTPRequest(url: url)).body, as: UTF8.self) } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
        }
        let first = Set(try await round())
        #expect(first.count == 12)   // twelve requests at once: twelve connections
        let second = Set(try await round())
        #expect(second.isSubset(of: first), "\(second.subtracting(first).count) of 12 requests opened a new connection")
    }
}

@Suite("TCP connect through the curl loop")
struct TCPTests {
    @Test func connectToListeningPortSucceeds() async throws {
        let server = try await Fixtures.http()
        let elapsed = try await Fixtures.loop.get().connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        #expect(elapsed > .zero && elapsed < .seconds(5))
    }

    @Test func connectToClosedPortIsRefused() async throws {
        let error = await curlError {
            _ = try await Fixtures.loop.get().connect(host: "127.0.0.1", port: Fixtures.closedPort(), timeout: .seconds(5))
        }
        #expect(error?.kind == .connectionRefused)
        // The generic text once, not "Couldn't connect to server (Couldn't connect to server)".
        let message = error?.message ?? ""
        #expect(message.components(separatedBy: "Couldn't connect to server").count <= 2, "\(message)")
    }

    @Test func connectToUnresolvableHostIsDNS() async throws {
        let error = await curlError {
            _ = try await Fixtures.loop.get().connect(host: unresolvableHost, port: 80, timeout: .seconds(5))
        }
        #expect(error?.kind == .dns)
    }
}
