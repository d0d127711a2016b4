import Testing
@testable import Collect
import Exposition
import Model

/// Renders a batch as sorted `labels value @time` lines (stale markers as `STALE`) for exact comparison.
func render(_ samples: [LabeledSample]) -> [String] {
    samples.map { item in
        let value = item.sample.isStale ? "STALE" : "\(item.sample.value)"
        return "\(item.labels) \(value) @\(item.sample.timestamp)"
    }.sorted()
}

private func body(_ text: String, _ contentType: String? = "text/plain; version=0.0.4") -> ScrapeOutcome {
    .body(Array(text.utf8), contentType: contentType)
}

private func reportLines(up: Double, at time: Timestamp, duration: Double = 0.5, scraped: Int, added: Int,
                         labels: String = "instance=\"host:9100\", job=\"node\"") -> [String] {
    [
        "scrape_duration_seconds{\(labels)} \(duration) @\(time)",
        "scrape_samples_post_metric_relabeling{\(labels)} \(Double(up == 1 ? scraped : 0)) @\(time)",
        "scrape_samples_scraped{\(labels)} \(Double(scraped)) @\(time)",
        "scrape_series_added{\(labels)} \(Double(added)) @\(time)",
        "up{\(labels)} \(up) @\(time)",
    ]
}

@Suite("Scrape assembly")
struct ScrapeAssemblerTests {
    let node = ScrapeTarget(job: "node", instance: "host:9100")

    @Test("scraped samples get job, instance, target labels and the scrape time unless they carry one")
    func labelsAndTimestamps() {
        var assembler = ScrapeAssembler(target: ScrapeTarget(job: "node", instance: "host:9100", labels: ["team": "core"]))
        let batch = assembler.assemble(body("# TYPE a gauge\na{x=\"1\"} 2\nb 3 1234\n"), at: 10_000, duration: 0.5)
        #expect(batch.failure == nil)
        #expect(batch.samplesScraped == 2)
        let labels = "instance=\"host:9100\", job=\"node\", team=\"core\""
        #expect(render(batch.samples) == ([
            "a{instance=\"host:9100\", job=\"node\", team=\"core\", x=\"1\"} 2.0 @10000",
            "b{instance=\"host:9100\", job=\"node\", team=\"core\"} 3.0 @1234",
        ] + reportLines(up: 1, at: 10_000, scraped: 2, added: 1, labels: labels)).sorted())
    }

    @Test("the series cache and the labelled series are reused from one scrape to the next")
    func reusesSeriesAcrossScrapes() {
        var assembler = ScrapeAssembler(target: node)
        let payload = "a{x=\"1\"} 1\nb 2\n"
        let first = assembler.assemble(body(payload), at: 1000, duration: 0.5)
        #expect(assembler.cachedSeries == 2)
        let second = assembler.assemble(body(payload), at: 2000, duration: 0.5)
        #expect(assembler.cachedSeries == 2)
        // The same `Labels` instance each scrape: storage finds the series by identity.
        func address(_ labels: Labels) -> UInt? { labels.bufferAddress }
        #expect(first.samples.count == second.samples.count)
        for (before, after) in zip(first.samples.prefix(2), second.samples.prefix(2)) {
            #expect(before.labels == after.labels)
            #expect(address(before.labels) == address(after.labels))
        }
        // And the same series list: storage finds all the ids from the list's identity.
        func address(_ list: [Labels]) -> UnsafePointer<Labels>? { list.withUnsafeBufferPointer { $0.baseAddress } }
        #expect(second.batch.series.count == 2 && second.batch.values.count == 2)
        #expect(address(first.batch.series) == address(second.batch.series))
        let changed = assembler.assemble(body("b 2\na{x=\"1\"} 1\n"), at: 3000, duration: 0.5)
        #expect(changed.batch.series.map(\.metricName) == ["b", "a"])
        #expect(changed.batch.values == [Sample(3000, 2), Sample(3000, 1)])
        #expect(address(changed.batch.series) != address(second.batch.series))
        // A reordered series keeps its labelled form.
        #expect(address(changed.batch.series[1]) == address(second.batch.series[0]))
    }

    @Test("steady, shorter, longer and reordered scrapes mark exactly the missing series stale",
          arguments: [
              ("a 1\nb 2\nc 3\n", [String](), 0),
              ("a 1\nb 2\n", ["c"], 0),
              ("a 1\nb 2\nc 3\nd 4\n", [], 1),
              ("c 3\na 1\nb 2\n", [], 0),
              ("a 1\nx 9\nc 3\n", ["b"], 1),
          ])
    func stalenessAfterASteadyScrape(_ payload: String, stale: [String], added: Int) {
        var assembler = ScrapeAssembler(target: node)
        for time in [1000, 2000] as [Timestamp] {
            #expect(assembler.assemble(body("a 1\nb 2\nc 3\n"), at: time, duration: 0.5).failure == nil)
        }
        let batch = assembler.assemble(body(payload), at: 3000, duration: 0.5)
        #expect(batch.failure == nil)
        let marked = batch.samples.filter(\.sample.isStale).compactMap { $0.labels[Labels.metricName] }
        #expect(marked == stale)
        let scrapedAdded = batch.samples.first { $0.labels[Labels.metricName] == "scrape_series_added" }?.sample.value
        #expect(scrapedAdded == Double(added))
    }

    @Test("a duplicate made by target labels fails the scrape after steady scrapes too")
    func duplicateAfterSteadyScrapes() {
        var assembler = ScrapeAssembler(target: ScrapeTarget(job: "node", instance: "host:9100", honorLabels: true))
        for time in [1000, 2000] as [Timestamp] {
            #expect(assembler.assemble(body("m{job=\"node\"} 1\nn 2\n"), at: time, duration: 0.5).failure == nil)
        }
        let batch = assembler.assemble(body("m{job=\"node\"} 1\nn 2\nm 3\n"), at: 3000, duration: 0.5)
        #expect(batch.failure != nil)
        #expect(batch.samples.filter(\.sample.isStale).count == 2)
    }

    @Test("with honor_labels false a clashing scraped label becomes exported_<name>, again if taken")
    func exportedLabels() {
        var assembler = ScrapeAssembler(target: node)
        let payload = "m{job=\"app\",instance=\"pod-1\",exported_job=\"older\"} 1\n"
        let batch = assembler.assemble(body(payload), at: 5, duration: 0.5)
        #expect(batch.samples.first?.labels == [
            "__name__": "m", "job": "node", "instance": "host:9100",
            "exported_instance": "pod-1", "exported_job": "older", "exported_exported_job": "app",
        ])
    }

    @Test("with honor_labels true the scraped labels win and missing target labels are added")
    func honorLabels() {
        var assembler = ScrapeAssembler(target: ScrapeTarget(job: "federate", instance: "prom:9090", honorLabels: true))
        let batch = assembler.assemble(body("m{job=\"app\"} 1\n"), at: 5, duration: 0.5)
        #expect(batch.samples.first?.labels == ["__name__": "m", "job": "app", "instance": "prom:9090"])
    }

    @Test("OpenMetrics is chosen by Content-Type and its timestamps are seconds")
    func openMetrics() {
        var assembler = ScrapeAssembler(target: node)
        let payload = "# TYPE c counter\nc_total 4 1.5\n# EOF\n"
        let batch = assembler.assemble(body(payload, "application/openmetrics-text; version=1.0.0"), at: 9, duration: 0.5)
        #expect(batch.failure == nil)
        #expect(batch.samples.first?.sample == Sample(1500, 4))
    }

    @Test("exceeding sample_limit fails the whole scrape and stores none of its samples")
    func sampleLimit() {
        var assembler = ScrapeAssembler(target: ScrapeTarget(job: "node", instance: "host:9100", sampleLimit: 2))
        let batch = assembler.assemble(body("a 1\nb 2\nc 3\n"), at: 7, duration: 0.5)
        #expect(batch.failure == .sampleLimit(limit: 2, scraped: 3))
        #expect(render(batch.samples) == reportLines(up: 0, at: 7, scraped: 3, added: 0))
    }

    @Test("a malformed payload stores only up 0 and the report series, counting samples read before the error")
    func malformed() {
        var assembler = ScrapeAssembler(target: node)
        let batch = assembler.assemble(body("a 1\nb 2\nc{ 3\n"), at: 7, duration: 0.5)
        #expect(batch.failure == .malformed(ExpositionError(line: 3, column: 4, message: "expected label name")))
        #expect(render(batch.samples) == reportLines(up: 0, at: 7, scraped: 2, added: 0))
    }

    @Test("two series that collide once target labels are attached fail the scrape")
    func collisionAfterLabelling() {
        var assembler = ScrapeAssembler(target: ScrapeTarget(job: "a", instance: "h:1", honorLabels: true))
        let batch = assembler.assemble(body("m{job=\"a\"} 1\nm 2\n"), at: 7, duration: 0.5)
        #expect(batch.failure == .duplicateSeries(["__name__": "m", "job": "a", "instance": "h:1"]))
        #expect(batch.samples.allSatisfy { $0.labels.metricName != "m" })
    }
}

@Suite("Staleness")
struct StalenessTests {
    let node = ScrapeTarget(job: "node", instance: "host:9100")

    @Test("a series missing from the next scrape gets one stale marker; new series are counted as added")
    func disappearedSeries() {
        var assembler = ScrapeAssembler(target: node)
        _ = assembler.assemble(body("a 1\nb 2\n"), at: 1000, duration: 0.5)
        let second = assembler.assemble(body("a 1\nc 3\n"), at: 2000, duration: 0.5)
        #expect(render(second.samples) == ([
            "a{instance=\"host:9100\", job=\"node\"} 1.0 @2000",
            "b{instance=\"host:9100\", job=\"node\"} STALE @2000",
            "c{instance=\"host:9100\", job=\"node\"} 3.0 @2000",
        ] + reportLines(up: 1, at: 2000, scraped: 2, added: 1)).sorted())
        let third = assembler.assemble(body("a 1\nc 3\n"), at: 3000, duration: 0.5)
        #expect(!third.samples.contains { $0.sample.isStale })
    }

    @Test("a failed scrape marks every previous series stale, and the next success marks nothing again")
    func failedScrape() {
        var assembler = ScrapeAssembler(target: node)
        _ = assembler.assemble(body("a 1\nb 2\n"), at: 1000, duration: 0.5)
        let failed = assembler.assemble(.failed("connection refused"), at: 2000, duration: 0.25)
        #expect(failed.failure == .fetch("connection refused"))
        #expect(render(failed.samples) == ([
            "a{instance=\"host:9100\", job=\"node\"} STALE @2000",
            "b{instance=\"host:9100\", job=\"node\"} STALE @2000",
        ] + reportLines(up: 0, at: 2000, duration: 0.25, scraped: 0, added: 0)).sorted())
        let recovered = assembler.assemble(body("a 1\n"), at: 3000, duration: 0.5)
        #expect(!recovered.samples.contains { $0.sample.isStale })
    }

    @Test("series with explicit timestamps are not tracked for staleness")
    func explicitTimestamps() {
        var assembler = ScrapeAssembler(target: node)
        _ = assembler.assemble(body("a 1 500\nb 2\n"), at: 1000, duration: 0.5)
        let second = assembler.assemble(body(""), at: 2000, duration: 0.5)
        #expect(second.samples.filter(\.sample.isStale).map(\.labels.metricName) == ["b"])
    }

    @Test("removing a target marks its scraped and report series stale")
    func targetRemoved() {
        var assembler = ScrapeAssembler(target: node)
        _ = assembler.assemble(body("a 1\n"), at: 1000, duration: 0.5)
        let markers = assembler.targetRemoved(at: 1500)
        #expect(markers.allSatisfy { $0.sample.isStale && $0.sample.timestamp == 1500 })
        #expect(markers.compactMap(\.labels.metricName).sorted() == [
            "a", "scrape_duration_seconds", "scrape_samples_post_metric_relabeling", "scrape_samples_scraped",
            "scrape_series_added", "up",
        ])
    }

    @Test("the tracker alone: markers for what is gone, sorted, then forgotten on reset")
    func trackerAlone() {
        var tracker = StalenessTracker()
        let a: Labels = ["__name__": "a"], b: Labels = ["__name__": "b"], c: Labels = ["__name__": "c"]
        #expect(tracker.scraped([a, b, c], at: 1).isEmpty)
        #expect(tracker.scraped([b], at: 2).map(\.labels) == [a, c])
        #expect(tracker.reset(at: 3).map(\.labels) == [b])
        #expect(tracker.reset(at: 4).isEmpty)
        #expect(tracker.tracked.isEmpty)
    }
}
