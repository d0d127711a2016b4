import Curl
import Exposition
import Logging
import Model
import Synchronization

/// One scrape target on its schedule: fetch, parse and assemble, then append one batch.
final class ScrapeJob: CollectJob {
    let spec: ScrapeTargetSpec
    let loop: CurlLoop
    let appender: any SeriesAppender
    let statuses: ScrapeStatusStore
    let logger: Logger
    /// Staleness needs the previous scrape; rounds of one job never overlap, so the lock is uncontended.
    private let assembler: Mutex<ScrapeAssembler>

    init(spec: ScrapeTargetSpec, loop: CurlLoop, appender: any SeriesAppender, statuses: ScrapeStatusStore, logger: Logger) {
        self.spec = spec
        self.loop = loop
        self.appender = appender
        self.statuses = statuses
        self.logger = logger
        assembler = Mutex(ScrapeAssembler(target: spec.target))
    }

    var key: JobKey { .scrape(spec) }
    var name: String { "scrape/\(spec.target.job)/\(spec.url)" }
    var interval: Duration { spec.interval }

    func runOnce(at timestamp: Timestamp) async {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: ScrapeOutcome
        do {
            outcome = try await fetch()
        } catch is CancellationError {
            return
        } catch {
            outcome = .failed("\(error)")
        }
        let duration = clock.now - start
        let batch = assembler.withLock { $0.assemble(outcome, at: timestamp, duration: duration.seconds) }
        append(batch.batch)
        statuses.record(ScrapeStatus(job: spec.target.job, instance: spec.target.instance, url: spec.url,
                                     lastScrape: timestamp, duration: duration,
                                     lastError: batch.failure.map { "\($0)" }, samplesScraped: batch.samplesScraped))
    }

    /// Writes stale markers for every series of the target once it left the configuration.
    func retire(at timestamp: Timestamp) async {
        append(assembler.withLock { $0.targetRemoved(at: timestamp) })
        statuses.remove(job: spec.target.job, instance: spec.target.instance)
    }

    private func fetch() async throws -> ScrapeOutcome {
        var request = HTTPRequest(url: spec.url)
        request.headers = [("Accept", ExpositionFormat.acceptHeader),
                           ("X-Prometheus-Scrape-Timeout-Seconds", Self.decimal(timeout.seconds))]
        request.timeout = timeout
        request.acceptGzip = true
        request.maxBodyBytes = spec.bodySizeLimit > 0 ? spec.bodySizeLimit : nil
        request.caFile = spec.caFile
        request.insecure = spec.insecure
        request.followRedirects = true
        let response = try await loop.perform(request)
        guard (200..<300).contains(response.status) else { return .failed("server returned HTTP status \(response.status)") }
        return .body(response.body, contentType: response.header("Content-Type"))
    }

    private var timeout: Duration { min(spec.timeout, spec.interval) }

    /// `10` rather than `10.0`, as Prometheus writes the header.
    static func decimal(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    private func append(_ samples: [LabeledSample]) {
        append(SeriesBatch(samples))
    }

    private func append(_ batch: SeriesBatch) {
        guard batch.count > 0 else { return }
        do { try appender.append(batch) } catch {
            logger.error("storing scrape failed", metadata: ["job": "\(spec.target.job)", "instance": "\(spec.target.instance)",
                                                           "error": "\(error)"])
        }
    }
}
