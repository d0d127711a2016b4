import Config
import Model
import Testing
@testable import Forward

@Suite struct AlertmanagerPayloadTests {
    @Test func firingAlertIsValidFourResendDelaysAhead() {
        let alert = amAlert("HostDown", firedAt: 1_700_000_000_000)
        let now: Timestamp = 1_700_000_123_456
        let postable = PostableAlert(alert: alert, now: now, validFor: 4 * 60_000)
        #expect(postable.json == """
            {"labels":{"alertname":"HostDown","instance":"a","severity":"page"},\
            "annotations":{"summary":"HostDown on a"},\
            "startsAt":"2023-11-14T22:13:20.000Z","endsAt":"2023-11-14T22:19:23.456Z",\
            "generatorURL":"http://lookout:9090/graph?g0.expr=up+%3D%3D+0\\u0026g0.tab=1"}
            """, "strings escaped as Go's encoding/json (Prometheus) does, & included")
    }

    @Test func resolvedAlertEndsWhenItResolved() {
        let alert = amAlert("HostDown", firedAt: 1_700_000_000_000, resolvedAt: 1_700_000_300_001)
        let postable = PostableAlert(alert: alert, now: 1_700_000_900_000, validFor: 240_000)
        #expect(postable.startsAt == 1_700_000_000_000)
        #expect(postable.endsAt == 1_700_000_300_001)
        #expect(postable.json.contains("\"endsAt\":\"2023-11-14T22:18:20.001Z\""))
    }

    @Test func pendingNeverFiredStartsAtActiveAtAndEmptyFieldsAreOmitted() {
        let alert = Alert(labels: ["alertname": "X"], state: .firing, value: 1, activeAt: 0)
        let postable = PostableAlert(alert: alert, now: 1000, validFor: 1000)
        #expect(postable.json == #"{"labels":{"alertname":"X"},"startsAt":"1970-01-01T00:00:00.000Z","endsAt":"1970-01-01T00:00:02.000Z"}"#)
    }

    @Test(arguments: [
        (Timestamp(0), "1970-01-01T00:00:00.000Z"),
        (Timestamp(951_782_400_000), "2000-02-29T00:00:00.000Z"),
        (Timestamp(4_102_444_799_999), "2099-12-31T23:59:59.999Z"),
        (Timestamp(-1), "1969-12-31T23:59:59.999Z"),
    ])
    func timesAreRFC3339MillisecondsUTC(_ ms: Timestamp, _ text: String) {
        #expect(UTCTime(ms).rfc3339Milliseconds == text)
    }

    @Test func stringsAreEscaped() {
        var out = ""
        AlertmanagerJSON.string("a\"b\\c\nd\u{01}é", into: &out)
        #expect(out == #""a\"b\\c\nd\u0001é""#)
    }

    @Test func requestCarriesEndpointAuthAndHeaders() {
        let config = AlertmanagerConfig(url: "https://user:pw@am.example.com:9093/prefix/", timeout: 2_000,
                                        auth: .basic(username: "lookout", password: Secret("s3cret")),
                                        headers: ["X-Scope-OrgID": Secret("team-a")])
        let endpoint = AlertmanagerEndpoint(config)
        let request = endpoint.request(body: Array("[]".utf8))
        #expect(request.url == "https://user:pw@am.example.com:9093/prefix/api/v2/alerts")
        #expect(endpoint.label == "https://am.example.com:9093/prefix/")
        #expect(request.method == "POST")
        #expect(request.timeout == .milliseconds(2_000))
        let headers = Dictionary(request.headers.map { ($0.name, $0.value) }) { a, _ in a }
        #expect(headers["Content-Type"] == "application/json")
        #expect(headers["Authorization"] == "Basic bG9va291dDpzM2NyZXQ=")
        #expect(headers["X-Scope-OrgID"] == "team-a")
    }

    @Test(arguments: [
        (200, DeliveryOutcome.accepted),
        (204, DeliveryOutcome.accepted),
        (400, DeliveryOutcome.rejected(status: 400, body: "bad")),
        (404, DeliveryOutcome.rejected(status: 404, body: "bad")),
        (429, DeliveryOutcome.retry(reason: "HTTP 429: bad", retryAfter: 2_000)),
        (503, DeliveryOutcome.retry(reason: "HTTP 503: bad", retryAfter: 2_000)),
    ])
    func statusesAreClassified(_ status: Int, _ expected: DeliveryOutcome) {
        #expect(AlertmanagerEndpoint.classify(status: status, body: Array(" bad\n".utf8), retryAfter: "2") == expected)
    }

    @Test func backoffGrowsIsJitteredAndCapped() {
        var options = AlertmanagerOptions()
        options.initialBackoff = 1_000
        options.maxBackoff = 8_000
        #expect(options.backoff(attempt: 1, retryAfter: nil, random: 0) == 500)
        #expect(options.backoff(attempt: 1, retryAfter: nil, random: 0.999) == 999)
        #expect(options.backoff(attempt: 3, retryAfter: nil, random: 0) == 2_000)
        #expect(options.backoff(attempt: 30, retryAfter: nil, random: 0.5) == 6_000)
        #expect(options.backoff(attempt: 1, retryAfter: 5_000, random: 0) == 5_000)
        #expect(options.backoff(attempt: 1, retryAfter: 60_000, random: 0) == 8_000)
    }
}
