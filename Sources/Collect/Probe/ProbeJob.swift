import Curl
import Logging
import Model

/// Where probe results go: storage, the in-memory store and the observer.
struct ProbeSink: Sendable {
    let appender: any SeriesAppender
    let store: ProbeResultStore
    let logger: Logger
    let observer: @Sendable (ProbeResult) -> Void

    func record(_ result: ProbeResult) {
        do {
            try appender.append(result.samples)
        } catch {
            logger.error("storing probe result failed", metadata: ["check": "\(result.check)", "error": "\(error)"])
        }
        store.record(result)
        observer(result)
    }
}

/// A check on its schedule. A class, as the other jobs: a struct this size (~380 B) was copied
/// into the async frame of every probe.
final class ProbeJob: CollectJob {
    let prober: Prober
    let sink: ProbeSink

    init(spec: ProbeSpec, loop: CurlLoop, sink: ProbeSink) throws {
        var bounded = spec
        // A probe must end before its next round starts, so it never overlaps itself.
        bounded.timeout = min(spec.timeout, spec.interval)
        prober = try Prober(spec: bounded, loop: loop)
        self.sink = sink
    }

    var key: JobKey { .probe(prober.spec) }
    var name: String { "check/" + prober.spec.name }
    var interval: Duration { prober.spec.interval }

    func runOnce(at timestamp: Timestamp) async {
        guard let result = try? await prober.probe(now: timestamp) else { return }
        if let reason = result.reason {
            sink.logger.debug("check failed", metadata: ["check": "\(result.check)", "reason": "\(reason)"])
        }
        sink.record(result)
    }

    /// The check left the configuration: its series go stale so queries stop showing it.
    func retire(at timestamp: Timestamp) async {
        let names = ["probe_success", "probe_duration_seconds", "probe_http_status_code", "probe_ssl_earliest_cert_expiry"]
        let check = Label("check", prober.spec.name)
        let markers = names.map {
            LabeledSample(Labels(sortedUnique: [Label(Labels.metricName, $0), check]), Sample(timestamp, StaleMarker.value))
        }
        do { try sink.appender.append(markers) } catch {
            sink.logger.error("storing stale markers failed", metadata: ["check": "\(prober.spec.name)", "error": "\(error)"])
        }
    }
}
