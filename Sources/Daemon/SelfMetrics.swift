import Curl
import Model
import Notify
import Server
import Storage

/// Lookout's own metrics for `/metrics` (the server adds the process_* families).
enum SelfMetrics {
    static func render(runtime: Runtime) async -> MetricsText {
        var m = MetricsText()
        let notify = await runtime.notifier.metrics()
        m.family("lookout_notifications_total", .counter, help: "Notification delivery attempts by channel and result.")
        for (channel, results) in notify.notificationsTotal.sorted(by: { $0.key < $1.key }) {
            for (result, count) in results.sorted(by: { $0.key < $1.key }) {
                m.sample("lookout_notifications_total", ["channel": channel, "result": result], Double(count))
            }
        }
        m.family("lookout_notification_queue_length", .gauge, help: "Notifications waiting in the durable outbox.")
        m.sample("lookout_notification_queue_length", Labels(), Double(notify.queueLength.values.reduce(0, +)))
        m.family("lookout_notification_oldest_queued_seconds", .gauge, help: "Age of the oldest queued notification per channel.")
        for (channel, age) in notify.oldestQueuedSeconds.sorted(by: { $0.key < $1.key }) {
            m.sample("lookout_notification_oldest_queued_seconds", ["channel": channel], age)
        }
        m.family("lookout_notification_delivery_seconds", .histogram, help: "From a group's flush to the receiver's acceptance.")
        for (bound, count) in notify.latencyBuckets {
            m.sample("lookout_notification_delivery_seconds_bucket", ["le": bound.isInfinite ? "+Inf" : ValueFormat.value(bound)], Double(count))
        }
        m.sample("lookout_notification_delivery_seconds_sum", Labels(), notify.latencySum)
        m.sample("lookout_notification_delivery_seconds_count", Labels(), Double(notify.latencyCount))

        runtime.alertmanager.render(into: &m)

        let groups = runtime.currentRules?.status() ?? []
        m.family("lookout_rule_evaluation_seconds", .gauge, help: "Duration of the last evaluation of each rule group.")
        for g in groups { m.sample("lookout_rule_evaluation_seconds", ["rule_group": g.spec.name, "file": g.spec.file], g.metrics.lastDurationSeconds) }
        m.family("lookout_rule_evaluations_total", .counter, help: "Rule group evaluations.")
        for g in groups { m.sample("lookout_rule_evaluations_total", ["rule_group": g.spec.name, "file": g.spec.file], Double(g.metrics.evaluations)) }
        m.family("lookout_rule_evaluation_failures_total", .counter, help: "Rule evaluations that failed.")
        for g in groups { m.sample("lookout_rule_evaluation_failures_total", ["rule_group": g.spec.name, "file": g.spec.file], Double(g.metrics.failures)) }
        m.family("lookout_rule_group_iterations_missed_total", .counter, help: "Evaluations skipped because the previous one overran.")
        for g in groups { m.sample("lookout_rule_group_iterations_missed_total", ["rule_group": g.spec.name, "file": g.spec.file], Double(g.metrics.missedIterations)) }

        m.family("lookout_scrape_duration_seconds", .gauge, help: "Duration of the last scrape of each target.")
        for s in runtime.collector.scrapeStatuses.all() {
            m.sample("lookout_scrape_duration_seconds", ["job": s.job, "instance": s.instance], PromDuration.seconds(s.duration))
        }
        if let stats = try? runtime.tsdb.stats() {
            m.single("lookout_storage_bytes", .gauge, help: "Size of the database file, WAL included.", Double(stats.bytes + stats.walBytes))
            m.single("lookout_storage_series", .gauge, help: "Series in the store.", Double(stats.series))
            m.single("lookout_storage_series_pruned_total", .counter, help: "Series deleted because retention left them without samples.", Double(stats.prunedSeries))
            m.single("lookout_storage_held_samples", .gauge, help: "Samples kept in memory because the database cannot be written.", Double(stats.heldSamples))
            m.single("lookout_storage_dropped_samples_total", .counter, help: "Samples dropped: the in-memory hold overflowed, or new series found no series id left.", Double(stats.droppedSamples))
            m.single("lookout_storage_degraded", .gauge, help: "1 while the database cannot be written.", stats.degraded ? 1 : 0)
        }
        let contexts = TLSContextPool.stats
        m.single("lookout_tls_contexts_created_total", .counter, help: "OpenSSL contexts made for TLS connections (checks, scrapes, notifications).", Double(contexts.created))
        m.single("lookout_tls_contexts_reused_total", .counter, help: "TLS connections given a recycled OpenSSL context instead of a new one.", Double(contexts.reused))
        let certificates = TLSCertificateCache.stats
        m.single("lookout_tls_certificates_decoded_total", .counter, help: "Certificates received in TLS handshakes and decoded.", Double(certificates.misses))
        m.single("lookout_tls_certificate_cache_hits_total", .counter, help: "Certificates received in TLS handshakes and found already decoded (same bytes).", Double(certificates.hits))
        RemoteWriteWiring.render(runtime.remoteWriter, into: &m)
        return m
    }
}
