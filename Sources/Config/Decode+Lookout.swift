import Foundation
import Model

/// Walks a whole config file: sections, then names and references across sections.
enum LookoutDecoder {
    static let keys = [
        "global", "checks", "scrape", "host_metrics", "sql", "rule_files", "alerts", "notify",
        "remote_write", "alertmanagers", "reports",
    ]

    static func decode(_ root: Cursor?, source: String, dataDirOverride: String?) -> LookoutConfig {
        let fields = root?.fields(keys)
        var references: [Reference] = []
        let global = GlobalDecoder.decode(fields?["global"], dataDirOverride: dataDirOverride)
        let checkNodes = fields?["checks"]?.sequence() ?? []
        let scrapeNodes = fields?["scrape"]?.sequence() ?? []
        let sqlNodes = fields?["sql"]?.sequence() ?? []
        let alertNodes = fields?["alerts"]?.sequence() ?? []
        let reportNodes = fields?["reports"]?.sequence() ?? []
        for (nodes, key, what) in [(checkNodes, "name", "check"), (scrapeNodes, "job", "job"), (sqlNodes, "name", "sql source"),
                                   (alertNodes, "name", "alert"), (reportNodes, "name", "report")] {
            reportDuplicates(nodes, key: key, what: what)
        }
        let decodedAlerts = alertNodes.map(AlertDecoder.decode)
        for (node, alert) in zip(alertNodes, decodedAlerts) {
            if case .checkFailing(let check)? = alert?.kind, let value = node.node["check_failing"] {
                references.append(Reference(kind: .check, name: check, at: node.child("check_failing", value)))
            }
        }
        let alerts = decodedAlerts.compactMap { $0 }
        let notify = NotifyDecoder.decode(fields?["notify"], references: &references)
        let config = LookoutConfig(
            source: source, global: global,
            checks: checkNodes.compactMap(CheckDecoder.decode),
            scrape: scrapeNodes.compactMap { CollectDecoder.decodeScrape($0, global: global) },
            hostMetrics: fields?.bool("host_metrics") ?? false,
            sql: sqlNodes.compactMap { CollectDecoder.decodeSQL($0, global: global) },
            ruleFileGlobs: fields?.stringList("rule_files") ?? [], ruleFiles: [], alerts: alerts, notify: notify,
            remoteWrite: fields?["remote_write"]?.sequence()?.compactMap(CollectDecoder.decodeRemoteWrite) ?? [],
            alertmanagers: AlertmanagerDecoder.decodeAll(fields?["alertmanagers"]),
            reports: reportNodes.compactMap { ReportDecoder.decode($0, references: &references) })
        // Declared names count even when the declaration itself has errors: one mistake, one message.
        let channelNames = fields?["notify"]?.node["channels"]?.mapping?.keys.compactMap { $0.scalar?.string } ?? []
        checkReferences(references, checks: checkNodes.compactMap(name(key: "name")), channels: channelNames)
        ReportDecoder.rejectPagerDuty(reportNodes, channels: notify.channels)
        return config
    }

    /// The raw name of a list item, for duplicate and reference checks that must not depend on
    /// the item being otherwise valid.
    private static func name(key: String) -> (Cursor) -> String? {
        { cursor in cursor.node[key]?.scalar?.string }
    }

    private static func reportDuplicates(_ nodes: [Cursor], key: String, what: String) {
        var seen: [String: SourcePosition] = [:]
        for node in nodes {
            guard let nameNode = node.node[key], let name = nameNode.scalar?.string, !name.isEmpty else { continue }
            let named = node.child(key, nameNode)
            if let first = seen[name] {
                named.error("duplicate \(what) name \"\(name)\" (first at line \(first.line))")
            } else {
                seen[name] = named.position
            }
        }
    }

    private static func checkReferences(_ references: [Reference], checks: [String], channels: [String]) {
        for reference in references {
            switch reference.kind {
            case .check where !checks.contains(reference.name):
                reference.at.error("unknown check \"\(reference.name)\"" + Suggestion.hint(for: reference.name, among: checks))
            case .channel where !channels.contains(reference.name):
                reference.at.error("unknown channel \"\(reference.name)\""
                    + Suggestion.hint(for: reference.name, among: channels))
            default: break
            }
        }
    }
}
