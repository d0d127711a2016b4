import Foundation
import Testing
import Config
import Model
import Query
@testable import Rules

/// `daily_cost` over a counter compiles to `sum(increase(C[today]))`: checked here through the real
/// engine across the end of summer time in Europe/Berlin, where the local day has 25 hours.
@Suite struct DailyCostTests {
    static let yaml = """
    global: {timezone: Europe/Berlin}
    alerts:
      - name: HighDailyCost
        daily_cost:
          counter: llm_cost_usd_total
        above: 50
        severity: warning
    """

    func iso(_ text: String) -> Timestamp {
        Timestamp(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970 * 1000)
    }

    @Test func dayTurnsAtLocalMidnightAcrossDST() throws {
        let config = try ConfigLoader.parse(text: Self.yaml, fileName: "cost.yml", environment: [:]).get()
        let rule = Shorthand.compile(config.alerts[0])
        #expect(rule.expr == "sum(increase(llm_cost_usd_total[today])) > 50")
        #expect(rule.annotations["summary"] == "daily cost {{ $value | printf \"%.2f\" }} > 50.00 (llm_cost_usd_total, since local midnight)")

        // One dollar every 15 minutes from 20:00 UTC on Saturday 24 October 2026, with a counter reset.
        let store = MemorySeriesStore()
        let start = iso("2026-10-24T20:00:00Z")
        var batch: [LabeledSample] = []
        var value = 0.0
        for step in 0..<(30 * 4) {
            value = step == 60 ? 1 : value + 1  // reset to 1 at 11:00Z on the 25th: still one more dollar
            batch.append(LabeledSample(["__name__": "llm_cost_usd_total", "model": "a"], Sample(start + Int64(step) * 900_000, value)))
        }
        try store.append(batch)
        let engine = Engine(querier: store, options: EngineOptions(timeZone: config.global.timezone))
        let sink = NotifySink()
        let evaluator = GroupEvaluator(spec: GroupSpec(name: Shorthand.groupName, interval: 60_000, rules: [rule]),
                                       environment: RuleEnvironment(query: RuleEnvironment.query(engine), appender: store, notify: sink.notify))

        // Local midnight of the 25th is 22:00Z on the 24th (CEST); by 10:30Z 50 dollars have accrued.
        evaluator.evaluate(at: iso("2026-10-25T10:15:00Z"))
        #expect(evaluator.status().rules[0].alerts.isEmpty)
        evaluator.evaluate(at: iso("2026-10-25T10:45:00Z"))
        #expect(sink.batches.last?.first?.value == 51)
        #expect(sink.batches.last?.first?.annotations["summary"] == "daily cost 51.00 > 50.00 (llm_cost_usd_total, since local midnight)")
        // 22:45Z on the 25th is still the 25th locally (CET): 24.75 hours of the 25-hour day.
        evaluator.evaluate(at: iso("2026-10-25T22:45:00Z"))
        #expect(evaluator.status().rules[0].alerts.first?.value == 99)
        // Local midnight of the 26th is 23:00Z: a new day starts at zero and the alert resolves.
        evaluator.evaluate(at: iso("2026-10-25T23:15:00Z"))
        #expect(sink.batches.last?.first?.isResolved == true)
    }
}
