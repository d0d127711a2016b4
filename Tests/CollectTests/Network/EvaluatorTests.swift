@testable import Collect
import Curl
import Testing

@Suite("Probe conditions and JSON paths")
struct EvaluatorTests {
    @Test(arguments: [
        ("a.b", #"{"a":{"b":1}}"#, "1"),
        ("a[1]", #"{"a":[true,false]}"#, "false"),
        ("a.1.c", #"{"a":[{},{"c":"x"}]}"#, #""x""#),
        ("a[0][1]", #"{"a":[[1,2.5]]}"#, "2.5"),
        ("s", #"{"s":"\u00fc\n"}"#, "\"ü\n\""),
        ("n", #"{"n":null}"#, "null"),
    ])
    func pathsFindValues(path: String, json: String, literal: String) throws {
        let document = try JSONParser.parse(Array(json.utf8))
        #expect(document.value(at: path)?.literal == literal)
    }

    @Test(arguments: ["", "{", #"{"a":}"#, "[1,]", #"{"a":1} x"#, "tru", #""\x""#])
    func malformedJSONIsRejected(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func typedValuesDoNotCrossMatch() {
        #expect(!ProbeEvaluator.matches(.string("3"), .number(3)))
        #expect(ProbeEvaluator.matches(.number(3), .number(3.0)))
        #expect(ProbeEvaluator.matches(.bool(true), .bool(true)))
        #expect(!ProbeEvaluator.matches(.null, .string("")))
    }

    /// A type mismatch names the expected value, or `str3 was "3"` would read like a match of `str3: 3`.
    @Test func jsonReasonsNameTheExpectedTypeAndMatchNull() throws {
        var spec = ProbeSpec(name: "x", target: .http(url: "http://h/"))
        let body = Array(#"{"str3":"3","db":"down","gone":null,"n":1}"#.utf8)
        func reason(_ path: String, _ value: JSONExpectation.Value) throws -> String? {
            spec.expect.json = [JSONExpectation(path: path, value: value)]
            return try ProbeEvaluator(spec: spec).failure(status: 200, body: body, duration: .zero, certificateExpiry: nil, now: 0)
        }
        #expect(try reason("str3", .number(3)) == #"str3 was "3", expected 3"#)
        #expect(try reason("db", .string("healthy")) == #"db was "down""#)
        #expect(try reason("gone", .null) == nil)
        #expect(try reason("n", .null) == "n was 1, expected null")
        #expect(try reason("gone", .string("x")) == #"gone was null, expected "x""#)
    }

    @Test(arguments: [
        (Int64(-5), "TLS certificate expired"),
        (Int64(3_600), "TLS certificate expires in less than a day"),
        (Int64(86_400), "TLS certificate expires in 1 day"),
        (Int64(3 * 86_400 - 60), "TLS certificate expires in 3 days"),
    ])
    func expiryReasons(seconds: Int64, reason: String) {
        #expect(ProbeEvaluator.expiryReason(seconds: seconds) == reason)
    }

    @Test func expiryJustUnderTheMinimumDoesNotReadAsEnough() {
        #expect(ProbeEvaluator.expiryReason(seconds: 13 * 86_400 + 60_000, minDays: 14) == "TLS certificate expires in less than 14 days")
        #expect(ProbeEvaluator.expiryReason(seconds: 2 * 86_400 - 60, minDays: 14) == "TLS certificate expires in 2 days")
    }

    @Test func tlsReasonDropsCurlsSSHWording() {
        let error = CurlError(kind: .tls, code: 60, message: "SSL: no alternative certificate subject name matches target host name '127.0.0.1' (SSL peer certificate or SSH remote key was not OK)")
        #expect(ProbeEvaluator.reason(for: error, maxRedirects: 10) == "TLS error: SSL: no alternative certificate subject name matches target host name '127.0.0.1'")
    }

    @Test func latencyReasonUsesHumanUnits() throws {
        var spec = ProbeSpec(name: "x", target: .http(url: "http://h/"))
        spec.expect.maxLatency = .seconds(5)
        let evaluator = try ProbeEvaluator(spec: spec)
        let reason = evaluator.failure(status: 200, body: [], duration: .milliseconds(6_200), certificateExpiry: nil, now: 0)
        #expect(reason == "latency 6.2s > 5s")
    }
}
