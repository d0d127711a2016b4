import Model

/// `/api/v1/alerts`, `/api/v1/rules` and `/api/v1/targets` in Prometheus' shapes.
extension PrometheusAPI {
    /// Go's zero `time.Time`, which Prometheus prints for "never".
    func alerts() async -> APIReply {
        let alerts = await deps.alerts().filter { $0.state != .inactive && !$0.isResolved }
        return .success { json in
            json.beginObject()
            json.key("alerts")
            json.beginArray()
            for alert in alerts { PrometheusAPI.write(alert, to: &json) }
            json.endArray()
            json.endObject()
        }
    }

    func rules(_ form: FormValues) async -> APIReply {
        let type = form["type"] ?? ""
        guard type.isEmpty || type == "alert" || type == "record" else {
            return .failure(APIError(.badData, "not supported value \"\(type)\""))
        }
        let groups = await deps.ruleGroups()
        return .success { json in
            json.beginObject()
            json.key("groups")
            json.beginArray()
            for group in groups {
                let rules = group.rules.filter { rule in
                    switch rule.kind {
                    case .alerting: type != "record"
                    case .recording: type != "alert"
                    }
                }
                if !type.isEmpty && rules.isEmpty { continue }
                PrometheusAPI.write(group, rules: rules, to: &json)
            }
            json.endArray()
            json.endObject()
        }
    }

    func targets(_ form: FormValues) async -> APIReply {
        let state = form["state"] ?? ""
        let targets = state == "dropped" ? [] : await deps.targets()
        return .success { json in
            json.beginObject()
            json.key("activeTargets")
            json.beginArray()
            for target in targets { PrometheusAPI.write(target, to: &json) }
            json.endArray()
            json.key("droppedTargets")
            json.beginArray()
            json.endArray()
            json.endObject()
        }
    }

    /// The API level Lookout implements, in the shape of Prometheus' build info.
    static func buildInfo(_ json: inout JSONWriter) {
        json.beginObject()
        json.field("version", "2.42.0")
        json.field("revision", "lookout")
        json.field("branch", "")
        json.field("buildUser", "")
        json.field("buildDate", "")
        json.field("goVersion", "")
        json.endObject()
    }

    static func write(_ alert: Alert, to json: inout JSONWriter) {
        json.beginObject()
        json.key("labels"); json.labels(alert.labels)
        json.key("annotations"); json.labels(alert.annotations)
        json.field("state", alert.state.rawValue)
        json.field("activeAt", UTCTime(alert.activeAt).rfc3339)
        json.field("value", GoFloat.format(alert.value, exponent: true))
        json.endObject()
    }

    private static func write(_ group: RuleGroupInfo, rules: [RuleInfo], to json: inout JSONWriter) {
        json.beginObject()
        json.field("name", group.name)
        json.field("file", group.file)
        json.key("rules")
        json.beginArray()
        for rule in rules { write(rule, to: &json) }
        json.endArray()
        json.field("interval", number: Double(group.intervalMilliseconds) / 1000)
        json.key("limit"); json.int(0)
        json.field("evaluationTime", number: group.evaluationSeconds)
        json.field("lastEvaluation", group.lastEvaluation.map { UTCTime($0).rfc3339 } ?? UTCTime.goZeroTime)
        json.endObject()
    }

    private static func write(_ rule: RuleInfo, to json: inout JSONWriter) {
        json.beginObject()
        switch rule.kind {
        case .alerting(let forMs, let keepFiringMs, let alerts):
            json.field("state", rule.alertState.rawValue)
            json.field("name", rule.name)
            json.field("query", rule.query)
            json.field("duration", number: Double(forMs) / 1000)
            json.field("keepFiringFor", number: Double(keepFiringMs) / 1000)
            json.key("labels"); json.labels(rule.labels)
            json.key("annotations"); json.labels(rule.annotations)
            json.key("alerts")
            json.beginArray()
            for alert in alerts where alert.state != .inactive && !alert.isResolved { write(alert, to: &json) }
            json.endArray()
        case .recording:
            json.field("name", rule.name)
            json.field("query", rule.query)
            if !rule.labels.isEmpty { json.key("labels"); json.labels(rule.labels) }
        }
        json.field("health", rule.health.rawValue)
        if !rule.lastError.isEmpty { json.field("lastError", rule.lastError) }
        json.field("evaluationTime", number: rule.evaluationSeconds)
        json.field("lastEvaluation", rule.lastEvaluation.map { UTCTime($0).rfc3339 } ?? UTCTime.goZeroTime)
        if case .alerting = rule.kind { json.field("type", "alerting") } else { json.field("type", "recording") }
        json.endObject()
    }

    private static func write(_ target: TargetInfo, to json: inout JSONWriter) {
        json.beginObject()
        var discovered = target.labels.removing(["instance"])
        if let instance = target.labels["instance"] { discovered = discovered.setting("__address__", to: instance) }
        json.key("discoveredLabels"); json.labels(discovered)
        json.key("labels"); json.labels(target.labels)
        json.field("scrapePool", target.job)
        json.field("scrapeUrl", target.scrapeURL)
        json.field("globalUrl", target.scrapeURL)
        json.field("lastError", target.lastError)
        json.field("lastScrape", target.lastScrape.map { UTCTime($0).rfc3339 } ?? UTCTime.goZeroTime)
        json.field("lastScrapeDuration", number: target.lastScrapeSeconds)
        json.field("health", target.health.rawValue)
        json.field("scrapeInterval", PromDuration.format(target.intervalMilliseconds))
        json.field("scrapeTimeout", PromDuration.format(target.timeoutMilliseconds))
        json.endObject()
    }
}
