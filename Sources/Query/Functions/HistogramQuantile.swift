import Model

/// `histogram_quantile` over classic `le` buckets (Prometheus 2.42 `quantile.go`).
enum HistogramQuantile {
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    static func evaluate(_ q: Double, _ vector: [Element]) -> [Element] {
        var order: [Labels] = []
        var groups: [Labels: (labels: Labels, buckets: [Bucket])] = [:]
        for element in vector {
            guard let le = element.labels["le"], let upperBound = parseGoFloat(le) else { continue }
            // Series are grouped with their name; the result drops both name and `le`.
            let key = element.labels.removing(all: ["le"])
            if groups[key] == nil {
                order.append(key)
                groups[key] = (key.withoutName, [])
            }
            groups[key]!.buckets.append(Bucket(upperBound: upperBound, count: element.value))
        }
        return order.map { key in
            let group = groups[key]!
            return Element(labels: group.labels, value: bucketQuantile(q, group.buckets))
        }
    }

    static func bucketQuantile(_ q: Double, _ input: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        buckets = coalesce(buckets)
        ensureMonotonic(&buckets)
        if buckets.count < 2 { return .nan }
        let observations = buckets[buckets.count - 1].count
        if observations == 0 { return .nan }
        var rank = q * observations
        // sort.Search over all but the +Inf bucket.
        var b = buckets.count - 1
        for i in 0..<(buckets.count - 1) where buckets[i].count >= rank {
            b = i
            break
        }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// Merges buckets with equal upper bounds (they come from series differing only in name etc.).
    static func coalesce(_ buckets: [Bucket]) -> [Bucket] {
        var out: [Bucket] = []
        var last = buckets[0]
        for bucket in buckets.dropFirst() {
            if bucket.upperBound == last.upperBound {
                last.count += bucket.count
            } else {
                out.append(last)
                last = bucket
            }
        }
        out.append(last)
        return out
    }

    /// Bucket counts must not decrease; a lower count (scrape race, precision) is raised.
    static func ensureMonotonic(_ buckets: inout [Bucket]) {
        var maximum = -Double.infinity
        for i in buckets.indices {
            if buckets[i].count > maximum {
                maximum = buckets[i].count
            } else if buckets[i].count < maximum {
                buckets[i].count = maximum
            }
        }
    }
}

/// Go's `strconv.ParseFloat` for the spellings label values use (`+Inf`, `0.5`, `1e3`, `NaN`).
func parseGoFloat(_ text: String) -> Double? {
    if let first = text.utf8.first, first.isDigit, let value = Double(text) { return value }
    let trimmed = text.hasPrefix("+") ? String(text.dropFirst()) : text
    switch trimmed.lowercased() {
    case "inf", "infinity": return text.hasPrefix("-") ? -.infinity : .infinity
    case "-inf", "-infinity": return -.infinity
    case "nan": return .nan
    default: break
    }
    guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "-+.eE".contains($0)) }) else { return nil }
    return Double(trimmed)
}
