import Logging
import Model
import Storage

extension GroupEvaluator {
    /// Evaluates an alerting rule: builds candidates (labels and annotations expanded per element),
    /// advances the state machine, persists its transitions, notifies, and returns the `ALERTS` samples.
    func evaluateAlerting(_ rule: CompiledRule, _ alertState: inout AlertRuleState, at ts: Timestamp) throws -> [LabeledSample] {
        let vector = try environment.query(rule.spec.expr, ts)
        var candidates: [AlertCandidate] = []
        candidates.reserveCapacity(vector.count)
        var seen = Set<Labels>()
        for element in vector {
            let candidate = makeCandidate(rule, element, at: ts)
            guard seen.insert(candidate.labels).inserted else {
                throw RuleEvaluationError(description: "vector contains metrics with the same labelset after applying alert labels")
            }
            candidates.append(candidate)
        }
        var transitions = alertState.evaluate(candidates, at: ts, generatorURL: generatorURL(rule.spec.expr))
        let active = alertState.alerts.values.filter { $0.alert.state != .inactive }.count
        if spec.limit > 0 && active > spec.limit {
            // As Prometheus: over the limit the rule's alerts are dropped and the evaluation fails.
            let dropped = alertState.alerts.keys.map { AlertTransition.removed($0) }
            alertState = AlertRuleState(holdDuration: alertState.holdDuration, keepFiringFor: alertState.keepFiringFor)
            persist(dropped, rule: rule)
            throw RuleEvaluationError(description: "exceeded limit of \(spec.limit) with \(active) alerts")
        }
        let (toSend, sent) = alertState.alertsToSend(at: ts, resendDelay: environment.resendDelay)
        transitions += sent
        persist(transitions, rule: rule)
        log(transitions, rule: rule)
        if !toSend.isEmpty { environment.notify(toSend.map(withExternalLabels)) }
        return alertState.seriesSamples(at: ts)
    }

    private func makeCandidate(_ rule: CompiledRule, _ element: QuerySample, at ts: Timestamp) -> AlertCandidate {
        let data = AlertTemplateData(labels: element.labels, externalLabels: environment.externalLabels,
                                     externalURL: environment.externalURL, value: element.value)
        var labels = element.labels.droppingMetricName
        for (name, template) in rule.labelTemplates {
            labels = labels.setting(name, to: CompiledRule.expand(template, data, rule: rule.spec.name, query: environment.query, at: ts))
        }
        labels = labels.setting("alertname", to: rule.spec.name)
        var annotations: [Label] = []
        for (name, template) in rule.annotationTemplates {
            annotations.append(Label(name, CompiledRule.expand(template, data, rule: rule.spec.name, query: environment.query, at: ts)))
        }
        return AlertCandidate(labels: labels, annotations: Labels(annotations), value: element.value)
    }

    /// Prometheus' link: `<external URL>/graph?g0.expr=…&g0.tab=1`.
    func generatorURL(_ expr: String) -> String {
        environment.externalURL + "/graph?g0.expr=" + GoBuiltins.queryEscape(expr) + "&g0.tab=1"
    }

    /// External labels are added to notified alerts without overriding the alert's own, as Prometheus' notifier does.
    private func withExternalLabels(_ alert: Alert) -> Alert {
        var copy = alert
        for label in environment.externalLabels where copy.labels[label.name] == nil {
            copy.labels = copy.labels.setting(label.name, to: label.value)
        }
        return copy
    }

    private func persist(_ transitions: [AlertTransition], rule: CompiledRule) {
        guard let store = environment.stateStore, !transitions.isEmpty else { return }
        var saves: [Labels: PersistedAlert] = [:]
        var deletes: [Labels] = []
        for transition in transitions {
            switch transition {
            case .pending(let t), .firing(let t), .keepFiring(let t), .resolved(let t), .sent(let t):
                saves[t.alert.labels] = PersistedAlert(ruleKey: rule.key, alert: t.alert, keepFiringSince: t.keepFiringSince, lastSentAt: t.lastSentAt)
            case .removed(let labels):
                saves[labels] = nil
                deletes.append(labels)
            }
        }
        do {
            try store.delete(deletes.map { (ruleKey: rule.key, labels: $0) })
            try store.save(Array(saves.values))
            if persistFailures.succeeded() {
                environment.logger.notice("alert state persisted again", metadata: ["group": "\(spec.name)"])
            }
        } catch {
            let metadata: Logger.Metadata = ["rule": "\(rule.spec.name)", "error": "\(error)"]
            if persistFailures.failed() {
                environment.logger.error("cannot persist alert state; further failures of this group are logged at debug level",
                                         metadata: metadata)
            } else {
                environment.logger.debug("cannot persist alert state", metadata: metadata)
            }
        }
    }

    private func log(_ transitions: [AlertTransition], rule: CompiledRule) {
        for transition in transitions {
            let (event, labels): (String, Labels)
            switch transition {
            case .pending(let t): (event, labels) = ("pending", t.alert.labels)
            case .firing(let t): (event, labels) = ("firing", t.alert.labels)
            case .keepFiring(let t): (event, labels) = ("keep_firing", t.alert.labels)
            case .resolved(let t): (event, labels) = ("resolved", t.alert.labels)
            case .removed, .sent: continue
            }
            environment.logger.info("alert state changed", metadata: [
                "group": "\(spec.name)", "alert": "\(rule.spec.name)", "state": "\(event)", "labels": "\(labels)",
            ])
        }
    }
}
