import Testing
@testable import Server

/// `Deadline` answers at the timeout and cancels the work, so a synchronous engine that checks
/// `Task.isCancelled` stops instead of holding a thread.
@Suite struct DeadlineTests {
    @Test("a timed-out work's task is cancelled")
    func cancelsWorkOnTimeout() async throws {
        let (seen, report) = AsyncStream.makeStream(of: Bool.self)
        do {
            _ = try await Deadline.run(.milliseconds(20), on: QueryThreads(limit: 1)) { () async throws -> Int in
                // Busy work that only cancellation ends early; bounded by a clock, not a sleep. The
                // bound is generous: the timer runs on the cooperative pool, which the suite's
                // CPU-bound fuzz tests can hold for many seconds on a loaded 2-core machine.
                let giveUp = ContinuousClock.now + .seconds(90)
                while !Task.isCancelled && ContinuousClock.now < giveUp {}
                report.yield(Task.isCancelled)
                report.finish()
                return 1
            }
            Issue.record("no timeout")
        } catch let error as APIError {
            #expect(error.kind == .timeout)
        }
        var cancelled = false
        for await value in seen { cancelled = value }
        #expect(cancelled)
    }
}
