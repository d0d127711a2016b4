import Foundation
import Model

extension Evaluator {
    mutating func evalBinary(_ binary: BinaryExpr) throws -> [Series] {
        let op = binary.op
        switch (binary.lhs.type, binary.rhs.type) {
        case (.scalar, .scalar):
            return try rangeEval([binary.lhs, binary.rhs]) { _, args, _ in
                [Element(labels: Labels(), value: Self.scalarBinop(op, args[0].scalar, args[1].scalar))]
            }
        case (.vector, .scalar):
            // Without a name to drop, the labels stay as they were: distinct.
            let check = op.dropsMetricName || binary.returnBool
            return try rangeEval([binary.lhs, binary.rhs], checkDuplicates: check) { _, args, _ in
                Self.vectorScalarBinop(op, args[0].vector, args[1].scalar, swap: false, returnBool: binary.returnBool)
            }
        case (.scalar, .vector):
            let check = op.dropsMetricName || binary.returnBool
            return try rangeEval([binary.lhs, binary.rhs], checkDuplicates: check) { _, args, _ in
                Self.vectorScalarBinop(op, args[1].vector, args[0].scalar, swap: true, returnBool: binary.returnBool)
            }
        default:
            let matching = VectorMatcher(binary.matching ?? VectorMatching(card: .oneToOne))
            // Set operators only pass input elements through, which are already distinct.
            return try rangeEval([binary.lhs, binary.rhs], checkDuplicates: !op.isSetOperator) { _, args, _ in
                switch op {
                case .land: return matching.and(args[0].vector, args[1].vector)
                case .lor: return matching.or(args[0].vector, args[1].vector)
                case .lunless: return matching.unless(args[0].vector, args[1].vector)
                default: return try matching.binop(op, args[0].vector, args[1].vector, returnBool: binary.returnBool)
                }
            }
        }
    }

    /// The value and whether a comparison keeps the element (`vectorElemBinop`).
    static func elementBinop(_ op: BinaryOp, _ lhs: Double, _ rhs: Double) -> (Double, Bool) {
        switch op {
        case .add: return (lhs + rhs, true)
        case .sub: return (lhs - rhs, true)
        case .mul: return (lhs * rhs, true)
        case .div: return (lhs / rhs, true)
        case .pow: return (GoFloat.pow(lhs, rhs), true)
        case .mod: return (GoFloat.mod(lhs, rhs), true)
        case .eql: return (lhs, lhs == rhs)
        case .neq: return (lhs, lhs != rhs)
        case .gtr: return (lhs, lhs > rhs)
        case .lss: return (lhs, lhs < rhs)
        case .gte: return (lhs, lhs >= rhs)
        case .lte: return (lhs, lhs <= rhs)
        case .atan2: return (Foundation.atan2(lhs, rhs), true)
        case .land, .lor, .lunless: return (.nan, false)
        }
    }

    static func scalarBinop(_ op: BinaryOp, _ lhs: Double, _ rhs: Double) -> Double {
        let (value, keep) = elementBinop(op, lhs, rhs)
        return op.isComparison ? (keep ? 1 : 0) : value
    }

    static func vectorScalarBinop(_ op: BinaryOp, _ vector: [Element], _ scalar: Double, swap: Bool,
                                  returnBool: Bool) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(vector.count)
        for element in vector {
            var (value, keep) = swap ? elementBinop(op, scalar, element.value) : elementBinop(op, element.value, scalar)
            // A comparison keeps the vector's value even when the scalar is on the left.
            if op.isComparison && swap { value = element.value }
            if returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            let labels = op.dropsMetricName || returnBool ? element.labels.withoutName : element.labels
            out.append(Element(labels: labels, value: value))
        }
        return out
    }
}

/// Vector-to-vector matching (`on`/`ignoring`, `group_left`/`group_right`, set operators).
struct VectorMatcher {
    let matching: VectorMatching
    private let names: [String]
    private let ignored: [String]

    init(_ matching: VectorMatching) {
        self.matching = matching
        self.names = matching.labels
        self.ignored = matching.labels + [Labels.metricName]
    }

    func signature(_ labels: Labels) -> Labels {
        matching.on ? labels.keeping(only: names) : labels.removing(all: ignored)
    }

    func and(_ lhs: [Element], _ rhs: [Element]) -> [Element] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return [] }
        let right = Set(rhs.map { signature($0.labels) })
        return lhs.filter { right.contains(signature($0.labels)) }
    }

    func or(_ lhs: [Element], _ rhs: [Element]) -> [Element] {
        if lhs.isEmpty { return rhs }
        if rhs.isEmpty { return lhs }
        let left = Set(lhs.map { signature($0.labels) })
        return lhs + rhs.filter { !left.contains(signature($0.labels)) }
    }

    func unless(_ lhs: [Element], _ rhs: [Element]) -> [Element] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return lhs }
        let right = Set(rhs.map { signature($0.labels) })
        return lhs.filter { !right.contains(signature($0.labels)) }
    }

    /// Arithmetic and comparison between vectors (Prometheus' `VectorBinop`).
    func binop(_ op: BinaryOp, _ lhsIn: [Element], _ rhsIn: [Element], returnBool: Bool) throws -> [Element] {
        let oneToMany = matching.card == .oneToMany
        // For one-to-many, swap the sides so the right is always the "one" side.
        let (lhs, rhs) = oneToMany ? (rhsIn, lhsIn) : (lhsIn, rhsIn)
        var right: [Labels: Element] = [:]
        right.reserveCapacity(rhs.count)
        for element in rhs {
            let sig = signature(element.labels)
            if let duplicate = right[sig] {
                let side = oneToMany ? "left" : "right"
                throw QueryError(.manyToMany, "found duplicate series for the match group \(promLabels(sig)) on the \(side) hand-side of the operation: [\(promLabels(element.labels)), \(promLabels(duplicate.labels))];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            right[sig] = element
        }
        var matched: [Labels: Set<Labels>] = [:]
        var out: [Element] = []
        for element in lhs {
            let sig = signature(element.labels)
            guard let other = right[sig] else { continue }
            let (l, r) = oneToMany ? (other.value, element.value) : (element.value, other.value)
            var (value, keep) = Evaluator.elementBinop(op, l, r)
            if returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var metric = resultLabels(element.labels, other.labels, op)
            if returnBool { metric = metric.withoutName }
            if matching.card == .oneToOne {
                if matched[sig] != nil {
                    throw QueryError(.manyToMany, "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matched[sig] = []
            } else if matched[sig, default: []].insert(metric).inserted == false {
                throw QueryError(.manyToMany, "multiple matches for labels: grouping labels must ensure unique matches")
            }
            out.append(Element(labels: metric, value: value))
        }
        return out
    }

    private func resultLabels(_ lhs: Labels, _ rhs: Labels, _ op: BinaryOp) -> Labels {
        var result = op.dropsMetricName ? lhs.withoutName : lhs
        if matching.card == .oneToOne {
            result = matching.on ? result.keeping(only: names) : result.removing(all: names)
        }
        for name in matching.include {
            result = result.setting(name, to: rhs[name] ?? "")
        }
        return result
    }
}

/// Prometheus' `labels.Labels.String()`: `{a="1", b="2"}`.
func promLabels(_ labels: Labels) -> String {
    "{" + labels.map { "\($0.name)=\(goQuoted($0.value))" }.joined(separator: ", ") + "}"
}
