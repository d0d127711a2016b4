import Exposition
import Model

/// The result of one scrape attempt, as the network side hands it to `ScrapeAssembler`.
public enum ScrapeOutcome: Sendable {
    /// A response body (already decompressed) and its `Content-Type` header.
    case body([UInt8], contentType: String?)
    /// The fetch failed (connection, timeout, non-2xx status): the reason, for `lookout status`.
    case failed(String)
}

/// Why a scrape counts as failed (`up` 0).
public enum ScrapeFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The network side reported an error.
    case fetch(String)
    /// The payload did not parse.
    case malformed(ExpositionError)
    /// More samples than the target's `sampleLimit`.
    case sampleLimit(limit: Int, scraped: Int)
    /// Two scraped series became one after the target labels were attached.
    case duplicateSeries(Labels)

    /// One line for logs and the status page.
    public var description: String {
        switch self {
        case .fetch(let reason): return reason
        case .malformed(let error): return "malformed payload: \(error)"
        case .sampleLimit(let limit, let scraped): return "sample limit exceeded: \(scraped) samples, limit \(limit)"
        case .duplicateSeries(let labels): return "duplicate sample for series \(labels) after adding target labels"
        }
    }
}

/// What one scrape writes: one batch for `SeriesAppender.append`, plus what the status page shows.
public struct ScrapeBatch: Sendable {
    /// Scraped samples (or none if the scrape failed), then stale markers for series that
    /// disappeared and the report series (`up`, `scrape_duration_seconds`,
    /// `scrape_samples_scraped`, `scrape_samples_post_metric_relabeling`, `scrape_series_added`).
    /// While the target's series stay the same, `batch.series` is the same array every scrape.
    public var batch: SeriesBatch
    /// Nil when `up` is 1.
    public var failure: ScrapeFailure?
    /// Samples in the payload (up to a parse error), as `scrape_samples_scraped` reports.
    public var samplesScraped: Int

    /// The whole batch as one list, in order.
    public var samples: [LabeledSample] { batch.labeledSamples }
}
