/// Where collected samples go. One call is one batch (one scrape, one probe round), written
/// atomically: either every sample of the batch is stored or none is.
///
/// Implementations are thread-safe. Errors describe why the batch was not stored.
public protocol SeriesAppender: Sendable {
    /// Appends one batch. Samples may belong to many series and need not be sorted.
    func append(_ batch: [LabeledSample]) throws

    /// Appends one batch given as series and values (see `SeriesBatch`), with the same
    /// all-or-nothing guarantee. The default flattens it into `append(_:)`.
    func append(_ batch: SeriesBatch) throws
}

extension SeriesAppender {
    public func append(_ batch: SeriesBatch) throws {
        try append(batch.labeledSamples)
    }
}

/// Read access to stored series, the only thing the query engine needs.
///
/// Implementations are thread-safe; each call sees a consistent snapshot.
public protocol SeriesQuerier: Sendable {
    /// Every series matching all `matchers`, with its samples whose timestamps lie in `range`
    /// (inclusive, milliseconds), sorted by labels. Series with no sample in range are omitted.
    func select(_ matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [Series]

    /// What an instant vector selector needs: every series matching all `matchers`, with only the
    /// samples some point of `points` takes (see `LookbackPoints`), stale markers included, in
    /// the order `select` gives; series left with no sample are omitted. The result equals
    /// `select(matchers, in: points.range)` with each series' samples reduced by
    /// `points.picked(from:)`, which the default does; stores override it to avoid reading and
    /// copying the whole lookback window of every series.
    func selectLatest(_ matchers: [Matcher], at points: LookbackPoints) throws -> [Series]

    /// Label names of series matching `matchers` (all series if empty) with samples in `range`, sorted.
    func labelNames(matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String]

    /// Values of label `name` over series matching `matchers` with samples in `range`, sorted.
    func labelValues(_ name: String, matching matchers: [Matcher], in range: ClosedRange<Timestamp>) throws -> [String]
}

extension SeriesQuerier {
    public func selectLatest(_ matchers: [Matcher], at points: LookbackPoints) throws -> [Series] {
        points.picked(from: try select(matchers, in: points.range))
    }
}
