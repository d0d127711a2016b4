import Testing
@testable import Forward

@Suite struct RemoteWriteRetryTests {
    @Test(arguments: [
        (200, SendOutcome.sent), (204, .sent), (429, .retry(after: nil)), (500, .retry(after: nil)),
        (503, .retry(after: nil)), (599, .retry(after: nil)), (400, .reject), (401, .reject), (403, .reject),
        (404, .reject), (413, .reject), (301, .reject),
    ])
    func classifiesLikePrometheus(status: Int, outcome: SendOutcome) {
        #expect(SendOutcome.classify(status: status, retryAfter: nil, now: 0) == outcome)
    }

    @Test func retryAfterInSecondsOrAsAnHTTPDate() {
        let now: Int64 = 1_445_412_480_000   // Wed, 21 Oct 2015 07:28:00 GMT
        #expect(SendOutcome.classify(status: 429, retryAfter: "3", now: now) == .retry(after: 3000))
        #expect(SendOutcome.classify(status: 503, retryAfter: "Wed, 21 Oct 2015 07:28:10 GMT", now: now) == .retry(after: 10_000))
        #expect(SendOutcome.classify(status: 503, retryAfter: "soon", now: now) == .retry(after: nil))
        #expect(SendOutcome.classify(status: 503, retryAfter: "-1", now: now) == .retry(after: nil))
        #expect(SendOutcome.classify(status: 400, retryAfter: "3", now: now) == .reject, "Retry-After does not make a 400 retryable")
    }

    @Test func backoffDoublesWithJitterUpToTheMaximum() {
        let policy = RetryPolicy(initial: 100, maximum: 5_000)
        #expect(policy.delay(failures: 1, retryAfter: nil) { 0 } == 50)
        #expect(policy.delay(failures: 1, retryAfter: nil) { 0.999 } == 99)
        #expect(policy.delay(failures: 4, retryAfter: nil) { 0 } == 400)
        #expect(policy.delay(failures: 60, retryAfter: nil) { 0.5 } == 3_750, "capped at 5 s, no overflow")
        #expect(policy.delay(failures: 1, retryAfter: 2_000) { 0 } == 2_000, "the receiver asked for longer")
        #expect(policy.delay(failures: 10, retryAfter: 10) { 0 } == 2_500, "backoff wins over a shorter Retry-After")
        #expect(policy.delay(failures: 1, retryAfter: 86_400_000) { 0 } == 300_000, "Retry-After capped")
    }
}
