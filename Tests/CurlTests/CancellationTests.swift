import Curl
import Testing
import TestSupport

@Suite("Cancelling and stopping transfers")
struct CancellationTests {
    /// The server would answer after 10 s with a 200; a CancellationError proves the transfer was
    /// abandoned rather than awaited. (No wall-clock bound: this machine's load makes one flaky.)
    @Test func cancellingInFlightRequestThrowsCancellationError() async throws {
        try await Fixtures.warmUp()
        let task = Task { try await Fixtures.get("/slow?ms=10000") }
        try await Task.sleep(for: .milliseconds(100))  // let it reach the server; not synchronisation
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func alreadyCancelledTaskNeverSends() async throws {
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Fixtures.get("/slow?ms=5000")
        }
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test func loopKeepsServingAfterCancellations() async throws {
        for _ in 0..<5 {
            let task = Task { try await Fixtures.get("/slow?ms=2000") }
            task.cancel()
            _ = await task.result
        }
        #expect(try await Fixtures.get("/ok").status == 200)
    }

    @Test func stoppedLoopFailsNewAndRunningTransfers() async throws {
        let loop = try CurlLoop()
        let url = try await Fixtures.http().url("/slow?ms=3000")
        let running = Task { try await loop.perform(HTTPRequest(url: url)) }
        try await Task.sleep(for: .milliseconds(100))
        loop.shutdown()
        let error = await curlError { _ = try await running.value }
        #expect(error?.kind == .cancelled)
        let late = await curlError { _ = try await loop.perform(HTTPRequest(url: url)) }
        #expect(late?.kind == .cancelled)
    }
}
