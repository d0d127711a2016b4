import Foundation
import Testing
import Model
import Storage

@Suite struct AlertStateStoreTests {
    @Test func roundTripsEveryFieldAndDeletes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lookout.db").path
        let firing = PersistedAlert(ruleKey: "rules.yml#g#A",
                                    alert: Alert(labels: ["alertname": "A", "job": "api \"x\""], annotations: ["summary": "ünïcode\nline"],
                                                 state: .firing, value: .nan, activeAt: 1_000, firedAt: 61_000, generatorURL: "http://x/graph"),
                                    keepFiringSince: 90_000, lastSentAt: 61_000)
        let resolved = PersistedAlert(ruleKey: "rules.yml#g#B",
                                      alert: Alert(labels: ["alertname": "B"], state: .inactive, value: 2.5, activeAt: 0, firedAt: 10, resolvedAt: 20))
        do {
            let store = try AlertStateStore(path: path)
            try store.save([firing, resolved])
            try store.save([firing])  // replacing is idempotent
        }
        let reopened = try AlertStateStore(path: path)
        let rows = try reopened.loadAll()
        #expect(rows.count == 2)
        #expect(rows[0].alert.value.isNaN)
        var got = rows[0], expected = firing
        got.alert.value = 0
        expected.alert.value = 0  // NaN is stored as NULL and read back as NaN; NaN != NaN
        #expect(got == expected)
        #expect(rows[1] == resolved)
        try reopened.delete([(ruleKey: "rules.yml#g#A", labels: ["job": "api \"x\"", "alertname": "A"])])
        #expect(try reopened.loadAll().map(\.ruleKey) == ["rules.yml#g#B"])
    }
}
