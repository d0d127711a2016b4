import Curl
import Logging
import Model
import Synchronization

/// Everything Collect runs, as the Daemon maps it from the config.
public struct CollectSpecs: Sendable, Hashable {
    /// Health checks (`checks:`).
    public var probes: [ProbeSpec] = []
    /// Scrape targets, one per `job` × address (`scrape:`).
    public var scrapes: [ScrapeTargetSpec] = []
    /// SQL sources (`sql:`).
    public var sqlSources: [SQLSourceSpec] = []
    /// Host metrics of this machine, or nil when `host_metrics` is off.
    public var hostMetrics: HostMetricsSpec?

    /// Nothing to collect.
    public init() {}
}

/// Runs every probe, scrape, SQL source and host-metrics job on its own schedule as tasks on the
/// one curl loop, appending one batch per round through `appender`.
///
/// Jobs never overlap with themselves, a hung endpoint delays only its own job (every round has
/// a timeout), and `update(_:)` adds and removes jobs without restarting unchanged ones.
public final class Collector: Sendable {
    private let loop: CurlLoop
    private let appender: any SeriesAppender
    private let logger: Logger
    private let onProbeResult: @Sendable (ProbeResult) -> Void
    /// The last result of every check.
    public let probeResults: ProbeResultStore
    /// The last scrape of every target.
    public let scrapeStatuses: ScrapeStatusStore
    private let running = Mutex<[JobKey: RunningJob]>([:])

    private struct RunningJob: Sendable {
        let job: any CollectJob
        let task: Task<Void, Never>
    }

    /// A collector with no jobs; call `update(_:)` to start some. `onProbeResult` sees every probe
    /// result as it is recorded (status page, notifications).
    public init(loop: CurlLoop, appender: any SeriesAppender, logger: Logger,
                onProbeResult: @escaping @Sendable (ProbeResult) -> Void = { _ in }) {
        self.loop = loop
        self.appender = appender
        self.logger = logger
        self.onProbeResult = onProbeResult
        probeResults = ProbeResultStore()
        scrapeStatuses = ScrapeStatusStore()
    }

    deinit { stopAll() }

    /// Starts jobs that are new in `specs`, stops those no longer in it, leaves the rest running.
    /// Returns the jobs that could not be built (for example an invalid `body_regex`), with why.
    @discardableResult
    public func update(_ specs: CollectSpecs) -> [String] {
        var problems: [String] = []
        var wanted: [JobKey: any CollectJob] = [:]
        for job in makeJobs(specs, problems: &problems) { wanted[job.key] = job }
        probeResults.forget(checksNotIn: Set(specs.probes.map(\.name)))
        let removed = running.withLock { running -> [RunningJob] in
            let gone = running.filter { wanted[$0.key] == nil }
            for key in gone.keys { running[key] = nil }
            for (key, job) in wanted where running[key] == nil {
                running[key] = RunningJob(job: job, task: Self.start(job))
            }
            return Array(gone.values)
        }
        let stillWanted = Set(wanted.values.map(\.name))
        for old in removed {
            old.task.cancel()
            // A changed check keeps its series under the same name: marking them stale would race its new job.
            guard !stillWanted.contains(old.job.name) else { continue }
            Task {
                await old.task.value
                await old.job.retire(at: wallClockMilliseconds())
            }
        }
        return problems
    }

    /// Runs until the calling task is cancelled, then stops every job.
    public func run() async {
        let (stream, continuation) = AsyncStream<Never>.makeStream()
        await withTaskCancellationHandler {
            for await _ in stream {}
        } onCancel: {
            continuation.finish()
        }
        stopAll()
    }

    /// Runs `spec` once, outside any schedule (`lookout` commands, benchmarks), stamped with now.
    /// Throws when the spec is invalid (a bad `body_regex`) or the task is cancelled.
    public static func probeOnce(_ spec: ProbeSpec, loop: CurlLoop) async throws -> ProbeResult {
        try await Prober(spec: spec, loop: loop).probe(now: wallClockMilliseconds())
    }

    /// Stops every job.
    public func stopAll() {
        let tasks = running.withLock { running in
            defer { running.removeAll() }
            return running.values.map(\.task)
        }
        for task in tasks { task.cancel() }
    }

    /// How many jobs are running, for tests and `/metrics`.
    var jobCount: Int { running.withLock { $0.count } }

    /// The task running the job with `key`, for tests that check a reload left it alone.
    func task(for key: JobKey) -> Task<Void, Never>? { running.withLock { $0[key]?.task } }

    static func start(_ job: any CollectJob) -> Task<Void, Never> {
        Task {
            let schedule = Schedule(name: job.name, interval: job.interval)
            var next = schedule.next(after: wallClockMilliseconds())
            var stamp = next
            while !Task.isCancelled {
                let wait = next - wallClockMilliseconds()
                if wait > 0 {
                    do { try await Task.sleep(for: .milliseconds(wait)) } catch { return }
                }
                await job.runOnce(at: stamp)
                (next, stamp) = schedule.after(round: next, endedAt: wallClockMilliseconds())
            }
        }
    }

    private func makeJobs(_ specs: CollectSpecs, problems: inout [String]) -> [any CollectJob] {
        var jobs: [any CollectJob] = []
        let sink = ProbeSink(appender: appender, store: probeResults, logger: logger, observer: onProbeResult)
        for spec in specs.probes {
            do { jobs.append(try ProbeJob(spec: spec, loop: loop, sink: sink)) } catch {
                problems.append("check \(spec.name): \(error)")
            }
        }
        for spec in specs.scrapes {
            jobs.append(ScrapeJob(spec: spec, loop: loop, appender: appender, statuses: scrapeStatuses, logger: logger))
        }
        for spec in specs.sqlSources {
            jobs.append(SQLJob(spec: spec, appender: appender, logger: logger))
        }
        if let host = specs.hostMetrics {
            jobs.append(HostMetricsJob(spec: host, appender: appender, logger: logger))
        }
        return jobs
    }
}
