import Testing
@testable import Daemon

/// What the API's /api/v1/targets reports about a target's schedule.
@Suite struct ServerWiringTests {
    @Test("intervals and timeouts keep their sub-second part (scrapeInterval 500ms, not 0s)")
    func subSecondDurations() {
        #expect(ServerWiring.milliseconds(.milliseconds(500)) == 500)
        #expect(ServerWiring.milliseconds(.seconds(15)) == 15_000)
        #expect(ServerWiring.milliseconds(.milliseconds(1_250)) == 1_250)
    }
}
