import Foundation
import Testing
@testable import Server

/// API queries evaluate on `QueryThreads`: off the cooperative pool, at most `limit` at once, and
/// time spent waiting in line counts against a query's timeout.
@Suite(.timeLimit(.minutes(1))) struct QueryThreadsTests {
    /// Counts the jobs that started and holds each until the test lets it go.
    final class Holder: @unchecked Sendable {
        private let condition = NSCondition()
        private var started = 0
        private var released = 0

        /// Called by a job: note the start, then block its thread until released (30 s at most).
        func hold() {
            condition.lock()
            started += 1
            let ticket = started
            condition.broadcast()
            let deadline = Date().addingTimeInterval(30)
            while released < ticket && condition.wait(until: deadline) {}
            condition.unlock()
        }

        /// Waits (blocking, bounded) until `count` jobs have started; returns how many have.
        func waitForStarts(_ count: Int) -> Int {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date().addingTimeInterval(30)
            while started < count && condition.wait(until: deadline) {}
            return started
        }

        func releaseAll() {
            condition.lock()
            released = Int.max
            condition.broadcast()
            condition.unlock()
        }
    }

    @Test("at most `limit` queries run at once; the rest wait and then run")
    func limitsConcurrency() async throws {
        let threads = QueryThreads(limit: 2)
        let holder = Holder()
        let tasks = (0..<6).map { i in
            Task.detached(executorPreference: threads) { () -> Int in
                holder.hold()
                return i
            }
        }
        let started = await Task.detached { holder.waitForStarts(2) }.value
        #expect(started == 2)
        holder.releaseAll()
        var finished: [Int] = []
        for task in tasks {
            finished.append(await task.value)
        }
        #expect(finished == Array(0..<6))
        // Counted by the executor's own threads: the jobs ran there, two at a time.
        #expect(threads.peakConcurrency == 2)
    }

    @Test("blocked queries leave the cooperative pool free")
    func cooperativePoolStaysFree() async throws {
        var deps = ServerDependencies()
        deps.queryThreads = QueryThreads(limit: 3)
        let holder = Holder()
        deps.instantQuery = { _, time, _ in
            holder.hold()   // a synchronous evaluation that blocks its thread
            return .scalar(.init(time, 1))
        }
        let api = PrometheusAPI(deps: deps)
        // More queries than the cooperative pool has threads (one per core).
        let count = ProcessInfo.processInfo.activeProcessorCount + 4
        let queries = (0..<count).map { _ in
            Task { await api.query(try! FormValues(urlEncoded: "query=1")) }
        }
        let started = await Task.detached { holder.waitForStarts(3) }.value
        #expect(started == 3)
        // With the queries on the pool, this task could not run until they were released.
        let ping = await Task { 42 }.value
        #expect(ping == 42)
        // /metrics shows the line: three running, the rest waiting once every request has queued.
        let giveUp = ContinuousClock.now + .seconds(20)
        while deps.queryThreads.load.waiting < count - 3 && ContinuousClock.now < giveUp { await Task.yield() }
        var metrics = MetricsText()
        deps.queryThreads.writeMetrics(to: &metrics)
        #expect(metrics.text.contains("lookout_queries_running 3\n"))
        #expect(metrics.text.contains("lookout_queries_waiting \(count - 3)\n"))
        #expect(metrics.text.contains("lookout_queries_concurrent_max 3\n"))
        holder.releaseAll()
        for query in queries {
            #expect(await query.value.status == 200)
        }
        #expect(deps.queryThreads.peakConcurrency == 3)
    }

    @Test("a query waiting in line times out, and does no work once it runs")
    func waitingCountsAgainstTimeout() async throws {
        let threads = QueryThreads(limit: 1)
        let holder = Holder()
        let first = Task { try await Deadline.run(.seconds(30), on: threads) { holder.hold(); return 1 } }
        _ = await Task.detached { holder.waitForStarts(1) }.value
        let (ran, report) = AsyncStream.makeStream(of: Bool.self)
        do {
            _ = try await Deadline.run(.milliseconds(50), on: threads) { () -> Int in
                report.yield(Task.isCancelled)
                report.finish()
                return 2
            }
            Issue.record("no timeout")
        } catch let error as APIError {
            #expect(error.kind == .timeout)
        }
        holder.releaseAll()
        #expect(try await first.value == 1)
        var cancelledWhenRun: Bool?
        for await value in ran { cancelledWhenRun = value }
        #expect(cancelledWhenRun == true)
    }
}
