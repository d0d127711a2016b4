import Foundation
import Model

/// Series that a range function walks over: raw samples (stale markers removed) or a subquery's
/// output, plus where each step's window lies.
struct RangeSource {
    var series: [Series]
    var range: RangeLength
    var offset: Int64
    var at: Timestamp?
    /// The argument is a selector (for `absent_over_time` labels).
    var matchers: [Matcher]
}

extension Evaluator {
    /// Instant selector: the latest sample at or before each step within the lookback delta,
    /// unless it is a stale marker (Prometheus 2.42 `vectorSelectorSingle`).
    mutating func evalVectorSelector(_ selector: VectorSelector, timestamps: Bool = false) throws -> [Series] {
        let at = resolve(selector.at)
        let lookback = options.lookbackDelta
        let from = (at ?? start) - selector.offset - lookback
        let through = (at ?? end) - selector.offset
        // Storage hands over only the samples the steps take, not the whole lookback window;
        // the loop below then finds the same sample for every step as in the full window.
        // Steps closer than the lookback share their windows' samples: then reading the window
        // once is as small and cheaper than picking.
        let raw: [Series]
        if at != nil || stepCount == 1 {
            raw = try selectLatest(selector.matchers, at: LookbackPoints(at: through, lookback: lookback), from: from)
        } else if interval >= lookback {
            let points = LookbackPoints(first: start - selector.offset, last: through, interval: interval, lookback: lookback)
            raw = try selectLatest(selector.matchers, at: points, from: from)
        } else {
            raw = try select(selector.matchers, from: from, through: through)
        }
        var out: [Series] = []
        out.reserveCapacity(raw.count)
        for series in raw {
            try checkCancellation()
            let samples = series.samples
            var points: [Sample] = []
            // With `@` one sample fills every step; either way, account series by series so a
            // query over many series stops at the limit instead of first building them all.
            points.reserveCapacity(min(stepCount, at == nil ? samples.count : max(0, options.maxSamples - samplesInMemory) + 1))
            var cursor = 0
            for ts in steps() {
                let ref = (at ?? ts) - selector.offset
                while cursor < samples.count && samples[cursor].timestamp <= ref { cursor += 1 }
                guard cursor > 0 else { continue }
                let sample = samples[cursor - 1]
                if sample.timestamp >= ref - lookback && !sample.isStale {
                    points.append(Sample(ts, timestamps ? Double(sample.timestamp) / 1000 : sample.value))
                }
            }
            if !points.isEmpty {
                try account(points.count)
                out.append(Series(timestamps ? series.labels.withoutName : series.labels, points))
            }
        }
        return out
    }

    /// A range selector evaluated on its own (instant queries only): the raw samples in the window.
    mutating func evalMatrixSelector(_ selector: VectorSelector, _ range: RangeLength) throws -> [Series] {
        let source = try rangeSource(selector, range)
        let ref = (source.at ?? end) - source.offset
        let bounds = window(range, ref: ref)
        var out: [Series] = []
        for series in source.series {
            let points = series.samples.filter { $0.timestamp >= bounds.lowerBound && $0.timestamp <= ref }
            if !points.isEmpty { out.append(Series(series.labels, points)) }
        }
        try account(out.reduce(0) { $0 + $1.samples.count })
        return out
    }

    /// The first timestamp a window may include: `ref - range`, or local midnight for `[today]`.
    /// The upper bound is `ref`; both ends are inclusive, as in Prometheus 2.x.
    func window(_ range: RangeLength, ref: Timestamp) -> ClosedRange<Timestamp> {
        switch range {
        case .duration(let ms): return (ref - ms)...ref
        case .today: return LocalDay.midnight(before: ref, in: options.timeZone)...ref
        }
    }

    /// Fetches a range selector's series once for every step of the evaluation.
    mutating func rangeSource(_ selector: VectorSelector, _ range: RangeLength) throws -> RangeSource {
        let at = resolve(selector.at)
        let firstRef = (at ?? start) - selector.offset
        let lastRef = (at ?? end) - selector.offset
        var from = window(range, ref: firstRef).lowerBound
        // `increase(x[today])` takes its baseline from before midnight.
        if range == .today { from -= options.lookbackDelta }
        var series = try select(selector.matchers, from: from, through: lastRef)
        var total = 0
        for i in series.indices {
            if series[i].samples.contains(where: \.isStale) { series[i].samples.removeAll(where: \.isStale) }
            total += series[i].samples.count
        }
        try account(total)
        return RangeSource(series: series, range: range, offset: selector.offset, at: at, matchers: selector.matchers)
    }

    /// Evaluates a subquery's inner expression at its own aligned steps (Prometheus 2.42 rules:
    /// start at the first multiple of the step after `start - offset - range`).
    mutating func evalSubquery(_ sub: SubqueryExpr) throws -> RangeSource {
        let step = sub.step != 0 ? sub.step : options.defaultSubqueryStep
        let at = resolve(sub.at)
        let outerStart = at ?? start
        let outerEnd = at ?? end
        let first = outerStart - sub.offset - sub.range
        var innerStart = step * (first / step)
        if innerStart < first { innerStart += step }
        // Every inner step holds at least one sample per series: refuse hopeless step counts early.
        if (outerEnd - sub.offset - innerStart) / step >= Int64(options.maxSamples) {
            throw QueryError(.tooManySamples, "query processing would load too many samples into memory in query execution")
        }
        var inner = Evaluator(querier: querier, options: options, start: innerStart, end: outerEnd - sub.offset,
                              interval: step, queryStart: queryStart, queryEnd: queryEnd)
        inner.samplesInMemory = samplesInMemory
        let series = innerStart <= outerEnd - sub.offset ? try inner.evaluateMatrix(sub.expr) : []
        samplesInMemory = inner.samplesInMemory
        return RangeSource(series: series.filter { !$0.samples.isEmpty }, range: .duration(sub.range),
                           offset: sub.offset, at: at, matchers: [])
    }
}

/// Local calendar days for the `[today]` extension.
enum LocalDay {
    /// Local midnight (ms) of the day containing `time`, DST-aware through Foundation's Calendar.
    /// Foundation gives nonsense (even later than `time`) for dates hundreds of millions of
    /// years away: then the UTC midnight stands in, so the window stays a valid range.
    static func midnight(before time: Timestamp, in zone: TimeZone) -> Timestamp {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let date = Date(timeIntervalSince1970: Double(time) / 1000)
        let start = calendar.startOfDay(for: date).timeIntervalSince1970 * 1000
        // A local day starts at most about a day and a half before any of its instants.
        if start.isFinite, start <= Double(time), start >= Double(time) - 1.5 * 86_400_000 {
            return Timestamp(start.rounded())
        }
        let day: Int64 = 86_400_000
        return time >= 0 ? time / day * day : (time - day + 1) / day * day
    }
}
