import Model

extension Evaluator {
    mutating func evalAggregate(_ aggregate: AggregateExpr) throws -> [Series] {
        let grouping = aggregate.grouping.sorted()
        let key = GroupKey(grouping: grouping, without: aggregate.without)
        // Groups have distinct labels by construction, so the duplicate check is not needed.
        return try rangeEval([aggregate.param, aggregate.expr], checkDuplicates: false) { _, args, _ in
            try Aggregation.run(aggregate.op, key: key, param: args[0], vector: args[1].vector)
        }
    }
}

/// The labels that identify a group: the `by` labels, or all but the `without` labels and the name.
struct GroupKey {
    let names: [String]
    let without: Bool

    init(grouping: [String], without: Bool) {
        self.without = without
        self.names = without ? grouping + [Labels.metricName] : grouping
    }

    func callAsFunction(_ labels: Labels) -> Labels {
        without ? labels.removing(all: names) : labels.keeping(only: names)
    }
}

/// Prometheus 2.42's `aggregation()`: groups in order of first appearance, same arithmetic.
enum Aggregation {
    private struct Group {
        var labels: Labels
        var value: Double
        var mean: Double
        var count: Double
        var members: [Element]
    }

    static func run(_ op: AggregateOp, key: GroupKey, param: StepArg, vector: [Element]) throws -> [Element] {
        var k = 0
        if op == .topk || op == .bottomk {
            let f = param.scalar
            guard f < 9.223372036854775807e18, f >= -9.223372036854775808e18 else {
                throw QueryError(.badArgument, "Scalar value \(GoFloat.formatG(f)) overflows int64")
            }
            k = Int(f)
            if k < 1 { return [] }
        }
        var valueLabel = ""
        var countKey = key
        if op == .countValues {
            if case .string(let label) = param { valueLabel = label }
            guard isValidLabelName(valueLabel) else {
                throw QueryError(.badArgument, "invalid label name \(goQuoted(valueLabel))")
            }
            if !key.without { countKey = GroupKey(grouping: key.names + [valueLabel], without: false) }
        }
        var groups: [Group] = []
        var index: [Labels: Int] = [:]
        for var element in vector {
            if op == .countValues {
                element.labels = element.labels.setting(valueLabel, to: GoFloat.formatF(element.value))
            }
            let groupLabels = countKey(element.labels)
            guard let i = index[groupLabels] else {
                index[groupLabels] = groups.count
                let initial: Double = op == .stddev || op == .stdvar ? 0 : (op == .group ? 1 : element.value)
                groups.append(Group(labels: groupLabels, value: initial, mean: element.value, count: 1, members: [element]))
                continue
            }
            accumulate(op, &groups[i], element)
        }
        return finish(op, groups, k: k, q: param.scalar)
    }

    private static func accumulate(_ op: AggregateOp, _ group: inout Group, _ element: Element) {
        let v = element.value
        switch op {
        case .sum: group.value += v
        case .avg:
            group.count += 1
            if group.mean.isInfinite {
                if v.isInfinite && (group.mean > 0) == (v > 0) { return }
                if !v.isInfinite && !v.isNaN { return }
            }
            group.mean += v / group.count - group.mean / group.count
        case .group: break
        case .max: if group.value < v || group.value.isNaN { group.value = v }
        case .min: if group.value > v || group.value.isNaN { group.value = v }
        case .count, .countValues: group.count += 1
        case .stddev, .stdvar:
            group.count += 1
            let delta = v - group.mean
            group.mean += delta / group.count
            group.value += delta * (v - group.mean)
        case .topk, .bottomk, .quantile: group.members.append(element)
        }
    }

    private static func finish(_ op: AggregateOp, _ groups: [Group], k: Int, q: Double) -> [Element] {
        var out: [Element] = []
        for group in groups {
            let value: Double
            switch op {
            case .avg: value = group.mean
            case .count, .countValues: value = group.count
            case .stdvar: value = group.value / group.count
            case .stddev: value = (group.value / group.count).squareRoot()
            case .quantile: value = quantile(q, group.members.map(\.value))
            case .topk, .bottomk:
                out += selectK(group.members, k: k, top: op == .topk)
                continue
            default: value = group.value
            }
            out.append(Element(labels: group.labels, value: value))
        }
        return out
    }

    /// topk/bottomk: the k largest (smallest) values, NaN last, in result order.
    private static func selectK(_ members: [Element], k: Int, top: Bool) -> [Element] {
        let sorted = members.enumerated().sorted { a, b in
            let x = a.element.value, y = b.element.value
            if x.isNaN != y.isNaN { return !x.isNaN }
            if x != y && !x.isNaN { return top ? x > y : x < y }
            return a.offset < b.offset
        }
        return sorted.prefix(k).map(\.element)
    }

    /// Prometheus' `quantile`: linear interpolation between the closest ranks.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        if values.isEmpty { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        // NaN sorts first, as Prometheus' vectorByValueHeap does.
        let sorted = values.sorted { a, b in a.isNaN && !b.isNaN || a < b }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = Swift.max(0, rank.rounded(.down))
        let upper = Swift.min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }
}

/// Prometheus' `model.LabelName.IsValid`: `[a-zA-Z_][a-zA-Z0-9_]*`.
func isValidLabelName(_ name: String) -> Bool {
    guard let first = name.utf8.first, first.isIdentifierStart else { return false }
    return name.utf8.allSatisfy { $0.isAlphaNumeric }
}
