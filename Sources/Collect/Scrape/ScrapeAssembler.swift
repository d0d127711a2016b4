import Exposition
import Model

/// Turns one scrape attempt of one target into the batch Prometheus would store: scraped samples
/// with the target labels attached and the scrape time where they have no timestamp, the report
/// series, and staleness markers. Pure (no I/O, time passed in); the scrape loop keeps one per
/// target because staleness needs the previous scrape.
///
/// A scrape that fails (fetch error, malformed payload, sample limit, duplicate series) stores
/// nothing partial: only the report series with `up` 0 and stale markers for every series of the
/// previous successful scrape.
public struct ScrapeAssembler: Sendable {
    /// The target this assembler labels samples for.
    public let target: ScrapeTarget
    private let labeler: TargetLabeler
    /// The report series' labels, made once so storage sees the same `Labels` every scrape.
    private let reportLabels: [Labels]
    private var series = ScrapeSeriesTracker()
    /// Series decoded in earlier scrapes of this target, so steady-state scrapes skip label decoding.
    private var seriesCache = SeriesCache()

    /// How many series the parser's cache holds (the last scrape's, once it succeeded).
    var cachedSeries: Int { seriesCache.count }

    /// An assembler for `target` with no previous scrape.
    public init(target: ScrapeTarget) {
        self.target = target
        self.labeler = TargetLabeler(target: target.targetLabels, honorLabels: target.honorLabels)
        self.reportLabels = ScrapeAssembler.reportNames.map { [labeler] name in labeler.apply([Labels.metricName: name]) }
    }

    /// The batch for one scrape attempt that started at `time` and took `duration` seconds.
    public mutating func assemble(_ outcome: ScrapeOutcome, at time: Timestamp, duration: Double) -> ScrapeBatch {
        let scraped: Result<Scraped, CountedFailure>
        switch outcome {
        case .failed(let reason):
            scraped = .failure(CountedFailure(failure: .fetch(reason), samplesScraped: 0))
        case .body(let bytes, let contentType):
            var parser = ExpositionParser(bytes, format: ExpositionFormat.from(contentType: contentType), cache: seriesCache)
            seriesCache = SeriesCache()   // the parser holds the only copy, so it is not copied on write
            parser.deferCachedLabels = true   // labels come from `series` for the series seen before
            series.begin()
            scraped = collect(&parser, at: time)
            seriesCache = parser.cache
        }
        switch scraped {
        case .success(let result):
            let (list, markers, added) = series.commit(at: time)
            let extra = markers + report(up: true, at: time, duration: duration, scraped: result.count, added: added)
            return ScrapeBatch(batch: SeriesBatch(series: list, values: result.values, extra: extra),
                               failure: nil, samplesScraped: result.count)
        case .failure(let failure):
            let count = failure.samplesScraped
            let extra = series.reset(at: time) + report(up: false, at: time, duration: duration, scraped: count, added: 0)
            return ScrapeBatch(batch: SeriesBatch(extra),
                               failure: failure.failure, samplesScraped: count)
        }
    }

    /// The target left the configuration: stale markers at `time` for all its series, report series included.
    public mutating func targetRemoved(at time: Timestamp) -> [LabeledSample] {
        let reportSeries = Set(reportLabels)
        return series.reset(at: time) + StalenessTracker.markers(reportSeries, at: time)
    }

    static let reportNames = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added",
    ]

    private func report(up: Bool, at time: Timestamp, duration: Double, scraped: Int, added: Int) -> [LabeledSample] {
        let values = [up ? 1 : 0, duration, Double(scraped), Double(up ? scraped : 0), Double(added)]
        return zip(reportLabels, values).map { labels, value in LabeledSample(labels, Sample(time, value)) }
    }
}

/// A successfully parsed payload: its values in order (their series are the tracker's list).
struct Scraped {
    var values: [Sample] = []
    var count = 0
}

/// A failure, with how many samples had been read when it happened.
struct CountedFailure: Error {
    let failure: ScrapeFailure
    let samplesScraped: Int
}

extension ScrapeAssembler {
    /// Parses and labels every sample; fails as a whole on the first problem.
    mutating func collect(_ parser: inout ExpositionParser, at time: Timestamp) -> Result<Scraped, CountedFailure> {
        var result = Scraped()
        result.values.reserveCapacity(parser.cache.count + 8)
        do {
            while let sample = try parser.nextSample() {
                let labels = sample.labels, value = sample.value, timestamp = sample.timestamp
                result.count += 1
                if target.sampleLimit > 0, result.count > target.sampleLimit { continue }
                // The parser rejects repeated series; target labels can still merge two into one.
                guard series.record(parser.lastCachedLabels ?? labels, hash: parser.lastSeriesHash,
                                    timestamped: timestamp != nil, labeler) else {
                    let scraped = parser.lastCachedLabels ?? labels
                    return .failure(CountedFailure(failure: .duplicateSeries(labeler.apply(scraped)), samplesScraped: result.count))
                }
                result.values.append(Sample(timestamp ?? time, value))
            }
        } catch {
            return .failure(CountedFailure(failure: .malformed(error), samplesScraped: result.count))
        }
        if target.sampleLimit > 0, result.count > target.sampleLimit {
            return .failure(CountedFailure(
                failure: .sampleLimit(limit: target.sampleLimit, scraped: result.count), samplesScraped: result.count))
        }
        return .success(result)
    }
}
