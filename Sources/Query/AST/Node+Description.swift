import Model

// Canonical printing follows Prometheus 2.42's printer.go, so `lookout check` and the rules API
// show expressions the way promtool does.
extension Node: CustomStringConvertible {
    var description: String {
        switch self {
        case .number(let value): return GoFloat.formatG(value)
        case .string(let value): return goQuoted(value)
        case .vectorSelector(let selector): return selector.description
        case .matrixSelector(let selector, let range):
            var bare = selector
            bare.offset = 0
            bare.at = nil
            return "\(bare.description)[\(range.description)]\(selector.modifiers)"
        case .subquery(let sub):
            let step = sub.step == 0 ? "" : PromDuration.format(sub.step)
            return "\(sub.expr.description)[\(PromDuration.format(sub.range)):\(step)]"
                + modifiersText(at: sub.at, offset: sub.offset)
        case .call(let call):
            return "\(call.function.name)(\(call.args.map(\.description).joined(separator: ", ")))"
        case .aggregate(let agg): return agg.description
        case .binary(let bin): return bin.description
        case .unaryMinus(let inner): return "-\(inner.description)"
        case .unaryPlus(let inner): return "+\(inner.description)"
        case .paren(let inner): return "(\(inner.description))"
        }
    }
}

extension RangeLength: CustomStringConvertible {
    var description: String {
        switch self {
        case .duration(let ms): return PromDuration.format(ms)
        case .today: return "today"
        }
    }
}

func modifiersText(at: AtModifier?, offset: Int64) -> String {
    var out = ""
    switch at {
    case .timestamp(let ms):
        out += " @ " + GoFloat.formatFixed3(Double(ms) / 1000)
    case .start: out += " @ start()"
    case .end: out += " @ end()"
    case nil: break
    }
    if offset > 0 { out += " offset \(PromDuration.format(offset))" }
    if offset < 0 { out += " offset -\(PromDuration.format(-offset))" }
    return out
}

extension VectorSelector: CustomStringConvertible {
    var modifiers: String { modifiersText(at: at, offset: offset) }

    var description: String {
        var parts: [String] = []
        for matcher in matchers {
            if matcher.name == Labels.metricName, matcher.kind == .equal, matcher.value == name { continue }
            parts.append("\(matcher.name)\(matcher.kind.rawValue)\(goQuoted(matcher.value))")
        }
        if parts.isEmpty { return name + modifiers }
        return "\(name){\(parts.sorted().joined(separator: ","))}\(modifiers)"
    }
}

extension AggregateExpr: CustomStringConvertible {
    var description: String {
        var out = op.rawValue
        if without {
            out += " without (\(grouping.joined(separator: ", "))) "
        } else if !grouping.isEmpty {
            out += " by (\(grouping.joined(separator: ", "))) "
        }
        out += "("
        if let param { out += "\(param.description), " }
        return out + "\(expr.description))"
    }
}

extension BinaryExpr: CustomStringConvertible {
    var description: String {
        var matchingText = ""
        if let matching, !matching.labels.isEmpty || matching.on {
            matchingText = " \(matching.on ? "on" : "ignoring") (\(matching.labels.joined(separator: ", ")))"
            if matching.card == .manyToOne || matching.card == .oneToMany {
                let side = matching.card == .manyToOne ? "left" : "right"
                matchingText += " group_\(side) (\(matching.include.joined(separator: ", ")))"
            }
        }
        return "\(lhs.description) \(op.rawValue)\(returnBool ? " bool" : "")\(matchingText) \(rhs.description)"
    }
}
