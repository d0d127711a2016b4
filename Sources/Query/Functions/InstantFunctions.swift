import Foundation
import Model

extension Evaluator {
    /// Functions over instant vectors and scalars, evaluated at one step.
    func instantFunction(_ name: String, args: [Node], values: [StepArg], ts: Timestamp) throws -> [Element] {
        if let math = InstantFunctions.math[name] { return InstantFunctions.map(values[0].vector, math) }
        switch name {
        case "pi": return [Element(labels: Labels(), value: Double.pi)]
        case "time": return [Element(labels: Labels(), value: Double(ts) / 1000)]
        case "vector": return [Element(labels: Labels(), value: values[0].scalar)]
        case "scalar":
            let vector = values[0].vector
            return [Element(labels: Labels(), value: vector.count == 1 ? vector[0].value : .nan)]
        case "absent":
            return values[0].vector.isEmpty ? [Element(labels: Self.absentLabels(args[0]), value: 1)] : []
        case "timestamp": return InstantFunctions.map(values[0].vector) { _ in Double(ts) / 1000 }
        case "sort": return InstantFunctions.sort(values[0].vector, descending: false)
        case "sort_desc": return InstantFunctions.sort(values[0].vector, descending: true)
        case "clamp":
            let low = values[1].scalar, high = values[2].scalar
            if high < low { return [] }
            return InstantFunctions.map(values[0].vector) { GoFloat.max(low, GoFloat.min(high, $0)) }
        case "clamp_max":
            let high = values[1].scalar
            return InstantFunctions.map(values[0].vector) { GoFloat.min(high, $0) }
        case "clamp_min":
            let low = values[1].scalar
            return InstantFunctions.map(values[0].vector) { GoFloat.max(low, $0) }
        case "round":
            let toNearest = values.count > 1 ? values[1].scalar : 1
            // Prometheus multiplies by the inverse: fewer floating point surprises.
            let inverse = 1.0 / toNearest
            return InstantFunctions.map(values[0].vector) { ($0 * inverse + 0.5).rounded(.down) / inverse }
        case "histogram_quantile":
            return HistogramQuantile.evaluate(values[0].scalar, values[1].vector)
        case "histogram_count", "histogram_sum", "histogram_fraction":
            return [] // Native histograms only; float series have none.
        case "label_replace":
            guard case .string(let pattern) = values[4] else { return [] }
            return try LabelFunctions.replace(values, regex: LabelFunctions.compile(pattern))
        case "label_join": return try LabelFunctions.join(values)
        default:
            if let field = CivilTime.Field(rawValue: name) {
                if values.isEmpty {
                    return [Element(labels: Labels(), value: CivilTime.value(field, seconds: ts / 1000))]
                }
                return InstantFunctions.map(values[0].vector) { value in
                    guard value.isFinite, abs(value) < 9.2e18 else { return .nan }
                    return CivilTime.value(field, seconds: Int64(value))
                }
            }
            throw QueryError(.badQuery, "function \(goQuoted(name)) is not implemented")
        }
    }
}

enum InstantFunctions {
    static let math: [String: @Sendable (Double) -> Double] = [
        "abs": { abs($0) }, "ceil": { Foundation.ceil($0) }, "floor": { Foundation.floor($0) },
        "exp": { Foundation.exp($0) }, "sqrt": { $0.squareRoot() }, "ln": { Foundation.log($0) },
        "log2": { Foundation.log2($0) }, "log10": { Foundation.log10($0) },
        "sgn": { $0 < 0 ? -1 : ($0 > 0 ? 1 : $0) },
        "deg": { $0 * 180 / Double.pi }, "rad": { $0 * Double.pi / 180 },
        "acos": { Foundation.acos($0) }, "acosh": { Foundation.acosh($0) }, "asin": { Foundation.asin($0) },
        "asinh": { Foundation.asinh($0) }, "atan": { Foundation.atan($0) }, "atanh": { Foundation.atanh($0) },
        "cos": { Foundation.cos($0) }, "cosh": { Foundation.cosh($0) }, "sin": { Foundation.sin($0) },
        "sinh": { Foundation.sinh($0) }, "tan": { Foundation.tan($0) }, "tanh": { Foundation.tanh($0) },
    ]

    /// Applies `f` to every value and drops the metric name.
    static func map(_ vector: [Element], _ f: (Double) -> Double) -> [Element] {
        vector.map { Element(labels: $0.labels.withoutName, value: f($0.value)) }
    }

    /// sort/sort_desc; NaN always last.
    static func sort(_ vector: [Element], descending: Bool) -> [Element] {
        vector.enumerated().sorted { a, b in
            let x = a.element.value, y = b.element.value
            if x.isNaN != y.isNaN { return !x.isNaN }
            if x != y && !x.isNaN { return descending ? x > y : x < y }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// UTC calendar fields for `year()`, `hour()` and friends (Go's `time.Unix(s, 0).UTC()`).
enum CivilTime {
    enum Field: String {
        case year, month, hour, minute
        case dayOfMonth = "day_of_month", dayOfWeek = "day_of_week", dayOfYear = "day_of_year"
        case daysInMonth = "days_in_month"
    }

    static func value(_ field: Field, seconds: Int64) -> Double {
        let t = UTCTime(unixSeconds: seconds)
        switch field {
        case .year: return Double(t.year)
        case .month: return Double(t.month)
        case .dayOfMonth: return Double(t.day)
        case .hour: return Double(t.hour)
        case .minute: return Double(t.minute)
        case .dayOfWeek: return Double(t.weekday)
        case .dayOfYear: return Double(t.daysSinceEpoch - UTCTime.days(year: t.year, month: 1, day: 1) + 1)
        case .daysInMonth:
            let next = t.month == 12 ? UTCTime.days(year: t.year + 1, month: 1, day: 1)
                                     : UTCTime.days(year: t.year, month: t.month + 1, day: 1)
            return Double(next - UTCTime.days(year: t.year, month: t.month, day: 1))
        }
    }
}
