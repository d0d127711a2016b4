import Foundation

/// Where API queries evaluate: threads of their own, at most `limit` at once, in arrival order.
///
/// The PromQL engine evaluates synchronously (CPU and SQLite reads). On Swift's cooperative pool,
/// which has one thread per core, a few heavy dashboard queries would hold every thread and stall
/// the scrapes, probes and notifications that run there. A task that prefers this executor
/// (`Task(executorPreference:)`) runs here instead and keeps its task context, so the engine's
/// cancellation checks still see a timed-out request. Queries beyond the limit wait in line; their
/// time in line counts against their timeout. Threads start when needed and end after 30 s idle.
public final class QueryThreads: TaskExecutor, @unchecked Sendable {
    /// How many queries may evaluate at once.
    public let limit: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var threads = 0
    private var idle = 0
    private var busy = 0
    private var busyPeak = 0

    /// An executor running at most `limit` (≥ 1) jobs at once.
    public init(limit: Int) {
        precondition(limit >= 1, "QueryThreads needs a limit of at least 1")
        self.limit = limit
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        let start = jobs.count - head > idle && threads < limit
        if start { threads += 1 }
        condition.signal()
        condition.unlock()
        if start {
            Thread.detachNewThread { [self] in work() }
        }
    }

    /// The most jobs that ran at once so far (for tests and diagnostics).
    public var peakConcurrency: Int {
        condition.lock()
        defer { condition.unlock() }
        return busyPeak
    }

    /// Jobs running now and jobs waiting for a thread.
    var load: (running: Int, waiting: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (busy, jobs.count - head)
    }

    /// `lookout_queries_running`, `lookout_queries_waiting` and `lookout_queries_concurrent_max`.
    func writeMetrics(to out: inout MetricsText) {
        let (running, waiting) = load
        out.single("lookout_queries_running", .gauge, help: "API queries and lookups evaluating now.", Double(running))
        out.single("lookout_queries_waiting", .gauge, help: "API queries and lookups waiting for a query thread.", Double(waiting))
        out.single("lookout_queries_concurrent_max", .gauge,
                   help: "How many API queries may evaluate at once (global.max_concurrent_queries).", Double(limit))
    }

    private func work() {
        condition.lock()
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                }
                busy += 1
                busyPeak = max(busyPeak, busy)
                condition.unlock()
                job.runSynchronously(on: asUnownedTaskExecutor())
                condition.lock()
                busy -= 1
                continue
            }
            idle += 1
            let signalled = condition.wait(until: Date(timeIntervalSinceNow: 30))
            idle -= 1
            if !signalled && head == jobs.count {
                threads -= 1
                condition.unlock()
                return
            }
        }
    }
}
