import Model

/// Decoding of `scrape:`, `sql:` and `remote_write:` (`alertmanagers:` is in Decode+Alertmanager).
enum CollectDecoder {
    static let scrapeKeys = [
        "job", "targets", "metrics_path", "scheme", "interval", "timeout", "labels", "honor_labels",
        "body_size_limit", "sample_limit",
    ]

    static func decodeScrape(_ cursor: Cursor, global: GlobalConfig) -> ScrapeConfig? {
        guard let fields = cursor.fields(scrapeKeys) else { return nil }
        let job = fields.requiredString("job")
        let targets = fields.required("targets")?.sequence()?.compactMap { $0.hostPort() } ?? []
        if let node = fields["targets"], case .sequence(let list) = node.node, list.isEmpty {
            node.error("needs at least one target")
        }
        let interval = fields.duration("interval", positive: true) ?? global.scrapeInterval
        let timeout = fields.duration("timeout", positive: true)
        if let timeout, timeout > interval, let node = fields["timeout"] {
            node.error("timeout \(PromDuration.format(timeout)) is longer than the interval \(PromDuration.format(interval))")
        }
        var metricsPath = "/metrics"
        if let node = fields["metrics_path"], let path = node.nonEmptyString() {
            if path.hasPrefix("/") { metricsPath = path } else { node.error("must start with \"/\"") }
        }
        let scheme = fields["scheme"]?.choice(["http", "https"]) ?? "http"
        var labels = Labels()
        if let map = fields.labelMap("labels") { labels = Labels(map) }
        guard let job else { return nil }
        return ScrapeConfig(
            job: job, targets: targets, metricsPath: metricsPath, scheme: scheme, interval: interval,
            timeout: min(timeout ?? 10_000, interval), labels: labels,
            honorLabels: fields.bool("honor_labels") ?? false,
            bodySizeLimit: fields["body_size_limit"]?.byteSize() ?? 0,
            sampleLimit: fields.int("sample_limit", in: 0...Int.max) ?? 0, position: cursor.position)
    }

    static func decodeSQL(_ cursor: Cursor, global: GlobalConfig) -> SQLSourceConfig? {
        guard let fields = cursor.fields(["name", "database", "interval", "query"]) else { return nil }
        let name = fields.requiredString("name")
        if let name, !LabelName.isValidMetricName(name) {
            fields["name"]?.error("invalid series name \"\(name)\" (use letters, digits, _ and :)")
        }
        let database = fields.required("database").flatMap { _ in fields.path("database") }
        let query = fields.requiredString("query")
        let interval = fields.duration("interval", positive: true) ?? global.scrapeInterval
        guard let name, let database, let query else { return nil }
        return SQLSourceConfig(name: name, database: database, interval: interval, query: query,
                               position: cursor.position)
    }

    static func decodeRemoteWrite(_ cursor: Cursor) -> RemoteWriteConfig? {
        let keys = ["url", "bearer_token", "bearer_token_file", "basic_auth", "headers", "write_relabel_configs", "queue"]
        guard let fields = cursor.fields(keys) else { return nil }
        let url = fields.required("url")?.url()
        let auth = fields.clientAuth()
        let headers = fields["headers"]?.headers() ?? [:]
        let relabels = fields["write_relabel_configs"]?.sequence()?.compactMap(decodeRelabel) ?? []
        let queue = decodeQueue(fields["queue"])
        guard let url else { return nil }
        return RemoteWriteConfig(url: url, auth: auth, headers: headers, writeRelabelConfigs: relabels,
                                 queue: queue, position: cursor.position)
    }

    private static func decodeRelabel(_ cursor: Cursor) -> RelabelRule? {
        guard let fields = cursor.fields(["source_labels", "separator", "regex", "action"]) else { return nil }
        let sources = fields.stringList("source_labels") ?? [Labels.metricName]
        for (index, name) in sources.enumerated() where !LabelName.isValid(name) {
            fields["source_labels"]?.sequence()?[index].error("invalid label name \"\(name)\"")
        }
        let regex = fields["regex"]?.regex() ?? "(.*)"
        guard let action = fields.required("action")?.choice(["keep", "drop"]) else { return nil }
        return RelabelRule(sourceLabels: sources, separator: fields.string("separator") ?? ";", regex: regex,
                           action: RelabelRule.Action(rawValue: action)!)
    }

    private static func decodeQueue(_ cursor: Cursor?) -> RemoteWriteQueue {
        var queue = RemoteWriteQueue(maxSamplesPerSend: 2000, shards: 1, maxBacklogAge: 2 * 3_600_000,
                                     maxBacklogBytes: 256 << 20)
        guard let cursor, let fields = cursor.fields(
            ["max_samples_per_send", "shards", "max_backlog_age", "max_backlog_bytes"]) else { return queue }
        queue.maxSamplesPerSend = fields.int("max_samples_per_send", in: 1...100_000) ?? queue.maxSamplesPerSend
        queue.shards = fields.int("shards", in: 1...64) ?? queue.shards
        queue.maxBacklogAge = fields.duration("max_backlog_age", positive: true) ?? queue.maxBacklogAge
        queue.maxBacklogBytes = fields["max_backlog_bytes"]?.byteSize() ?? queue.maxBacklogBytes
        return queue
    }
}
