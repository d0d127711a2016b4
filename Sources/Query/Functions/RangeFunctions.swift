import Foundation
import Model

/// What a range function knows about its window besides the samples.
struct RangeContext {
    var ts: Timestamp
    var rangeStart: Timestamp
    var rangeEnd: Timestamp
    /// Scalar arguments at this step, in argument order without the range vector.
    var params: [Double]

    var rangeSeconds: Double { Double(rangeEnd - rangeStart) / 1000 }
}

/// Functions over one series' window, in the order of operations of Prometheus 2.42's
/// `functions.go` so results agree to the last bit.
enum RangeFunctions {
    typealias Function = (ArraySlice<Sample>, RangeContext) throws -> Double?

    static func function(named name: String) throws -> Function {
        switch name {
        case "rate": return { extrapolatedRate($0, $1, isCounter: true, isRate: true) }
        case "increase": return { extrapolatedRate($0, $1, isCounter: true, isRate: false) }
        case "delta": return { extrapolatedRate($0, $1, isCounter: false, isRate: false) }
        case "irate": return { w, _ in instantValue(w, isRate: true) }
        case "idelta": return { w, _ in instantValue(w, isRate: false) }
        case "deriv": return { w, _ in w.count < 2 ? nil : linearRegression(w, interceptTime: w.first!.timestamp).slope }
        case "predict_linear": return predictLinear
        case "holt_winters": return holtWinters
        case "resets": return { w, _ in resets(w) }
        case "changes": return { w, _ in changes(w) }
        case "avg_over_time": return { w, _ in averageOverTime(w) }
        case "sum_over_time": return { w, _ in sumOverTime(w) }
        case "count_over_time": return { w, _ in Double(w.count) }
        case "min_over_time": return { w, _ in minimum(w) }
        case "max_over_time": return { w, _ in maximum(w) }
        case "last_over_time": return { w, _ in w.last!.value }
        case "present_over_time", "absent_over_time": return { _, _ in 1 }
        case "stddev_over_time": return { w, _ in variance(w).squareRoot() }
        case "stdvar_over_time": return { w, _ in variance(w) }
        case "quantile_over_time": return { w, c in Aggregation.quantile(c.params[0], w.map(\.value)) }
        default: throw QueryError(.badQuery, "function \(goQuoted(name)) is not implemented")
        }
    }

    /// rate/increase/delta: difference with counter-reset correction, extrapolated towards the
    /// window edges when the first/last samples are close to them.
    static func extrapolatedRate(_ w: ArraySlice<Sample>, _ c: RangeContext, isCounter: Bool, isRate: Bool) -> Double? {
        guard w.count >= 2, let first = w.first, let last = w.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            var previous = first.value
            for sample in w.dropFirst() {
                if sample.value < previous { result += previous }
                previous = sample.value
            }
        }
        var durationToStart = Double(first.timestamp - c.rangeStart) / 1000
        let durationToEnd = Double(c.rangeEnd - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageDurationBetweenSamples = sampledInterval / Double(w.count - 1)
        if isCounter && result > 0 && first.value >= 0 {
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageDurationBetweenSamples * 1.1
        var extrapolateToInterval = sampledInterval
        extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2
        extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2
        var factor = extrapolateToInterval / sampledInterval
        if isRate { factor /= c.rangeSeconds }
        return result * factor
    }

    /// `increase(x[today])`: the exact increase since local midnight, no extrapolation. The
    /// baseline is the last sample at or before midnight (the window starts one lookback earlier),
    /// else the day's first sample; counter resets count the new value in full.
    static func exactIncrease(_ w: ArraySlice<Sample>, midnight: Timestamp) -> Double? {
        let day = w.drop { $0.timestamp <= midnight }
        let rest: ArraySlice<Sample>
        var previous: Double
        if day.startIndex > w.startIndex {
            previous = w[day.startIndex - 1].value
            rest = day
        } else {
            guard let first = day.first else { return nil }
            previous = first.value
            rest = day.dropFirst()
        }
        var total = 0.0
        for sample in rest {
            total += sample.value >= previous ? sample.value - previous : sample.value
            previous = sample.value
        }
        return total
    }

    static func instantValue(_ w: ArraySlice<Sample>, isRate: Bool) -> Double? {
        guard w.count >= 2 else { return nil }
        let last = w[w.endIndex - 1], previous = w[w.endIndex - 2]
        var result = isRate && last.value < previous.value ? last.value : last.value - previous.value
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least squares with Kahan-compensated sums, as Prometheus 2.42 does.
    static func linearRegression(_ w: ArraySlice<Sample>, interceptTime: Timestamp) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = KahanSum(), sumY = KahanSum(), sumXY = KahanSum(), sumX2 = KahanSum()
        let initY = w.first!.value
        var constY = true
        for (i, sample) in w.enumerated() {
            if constY && i > 0 && sample.value != initY { constY = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1e3
            sumX.add(x)
            sumY.add(sample.value)
            sumXY.add(x * sample.value)
            sumX2.add(x * x)
        }
        if constY {
            if initY.isInfinite { return (.nan, .nan) }
            return (0, initY)
        }
        let sx = sumX.total, sy = sumY.total, sxy = sumXY.total, sx2 = sumX2.total
        let covXY = sxy - sx * sy / n
        let varX = sx2 - sx * sx / n
        let slope = covXY / varX
        let intercept = sy / n - slope * sx / n
        return (slope, intercept)
    }

    static func predictLinear(_ w: ArraySlice<Sample>, _ c: RangeContext) -> Double? {
        guard w.count >= 2 else { return nil }
        let (slope, intercept) = linearRegression(w, interceptTime: c.ts)
        return slope * c.params[0] + intercept
    }

    static func holtWinters(_ w: ArraySlice<Sample>, _ c: RangeContext) throws -> Double? {
        let sf = c.params[0], tf = c.params[1]
        if sf <= 0 || sf >= 1 {
            throw QueryError(.badArgument, "invalid smoothing factor. Expected: 0 < sf < 1, got: \(String(format: "%f", sf))")
        }
        if tf <= 0 || tf >= 1 {
            throw QueryError(.badArgument, "invalid trend factor. Expected: 0 < tf < 1, got: \(String(format: "%f", tf))")
        }
        guard w.count >= 2 else { return nil }
        let values = w.map(\.value)
        var s0 = 0.0, s1 = values[0], b = values[1] - values[0]
        for i in 1..<values.count {
            let x = sf * values[i]
            if i - 1 != 0 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }

    static func resets(_ w: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var previous = w.first!.value
        for sample in w.dropFirst() {
            if sample.value < previous { count += 1 }
            previous = sample.value
        }
        return count
    }

    static func changes(_ w: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var previous = w.first!.value
        for sample in w.dropFirst() {
            let current = sample.value
            if current != previous && !(current.isNaN && previous.isNaN) { count += 1 }
            previous = current
        }
        return count
    }

    static func minimum(_ w: ArraySlice<Sample>) -> Double {
        var result = w.first!.value
        for sample in w where sample.value < result || result.isNaN { result = sample.value }
        return result
    }

    static func maximum(_ w: ArraySlice<Sample>) -> Double {
        var result = w.first!.value
        for sample in w where sample.value > result || result.isNaN { result = sample.value }
        return result
    }

    /// Kahan-compensated Welford variance (stddev_over_time / stdvar_over_time).
    static func variance(_ w: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var mean = KahanSum(), aux = KahanSum()
        for sample in w {
            count += 1
            let delta = sample.value - mean.total
            mean.add(delta / count)
            aux.add(delta * (sample.value - mean.total))
        }
        return aux.total / count
    }

    static func sumOverTime(_ w: ArraySlice<Sample>) -> Double {
        var sum = KahanSum()
        for sample in w { sum.add(sample.value) }
        return sum.sum.isInfinite ? sum.sum : sum.total
    }

    /// Incremental mean with Kahan compensation; infinities handled as in `average`.
    static func averageOverTime(_ w: ArraySlice<Sample>) -> Double {
        var mean = KahanSum()
        var count = 0.0
        for sample in w {
            let v = sample.value
            count += 1
            if mean.sum.isInfinite {
                if v.isInfinite && (mean.sum > 0) == (v > 0) { continue }
                if !v.isInfinite && !v.isNaN { continue }
            }
            mean.add(v / count - mean.sum / count)
        }
        return mean.sum.isInfinite ? mean.sum : mean.total
    }
}

/// Neumaier-compensated summation (Prometheus' `kahanSumInc`).
struct KahanSum {
    var sum = 0.0
    var c = 0.0

    mutating func add(_ inc: Double) {
        let t = sum + inc
        if abs(sum) >= abs(inc) { c += (sum - t) + inc } else { c += (inc - t) + sum }
        sum = t
    }

    var total: Double { sum + c }
}
