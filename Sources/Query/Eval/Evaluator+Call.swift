import Model

extension Evaluator {
    mutating func evalCall(_ call: CallExpr) throws -> [Series] {
        let name = call.function.name
        // timestamp() of a plain selector reports the samples' own times, not the step times.
        if name == "timestamp", case .vectorSelector(let selector) = call.args[0].unwrapped {
            let series = try evalVectorSelector(selector, timestamps: true)
            try Self.checkUnique(series.map(\.labels))
            return series
        }
        if let matrixIndex = call.function.args.firstIndex(of: .matrix) {
            return try evalRangeFunction(call, matrixIndex: matrixIndex)
        }
        let args = call.args
        if name == "label_replace", case .string(let pattern) = args[4].unwrapped {
            // Compile once for all steps rather than once per step.
            let regex = try LabelFunctions.compile(pattern)
            return try rangeEval(args.map { Optional($0) }) { _, values, _ in
                try LabelFunctions.replace(values, regex: regex)
            }
        }
        return try rangeEval(args.map { Optional($0) }) { evaluator, values, ts in
            try evaluator.instantFunction(name, args: args, values: values, ts: ts)
        }
    }

    /// Functions over a range vector: one window per series and step (Prometheus' matrix branch
    /// of `eval` for `*parser.Call`).
    mutating func evalRangeFunction(_ call: CallExpr, matrixIndex: Int) throws -> [Series] {
        let name = call.function.name
        var scalarArgs: [[Series]] = []
        for (i, arg) in call.args.enumerated() where i != matrixIndex {
            scalarArgs.append(try evaluateMatrix(arg))
        }
        let source: RangeSource
        switch call.args[matrixIndex].unwrapped {
        case .matrixSelector(let selector, let range): source = try rangeSource(selector, range)
        case .subquery(let sub): source = try evalSubquery(sub)
        default: return []
        }
        let exactToday = name == "increase" && source.range == .today
        let function = try RangeFunctions.function(named: name)
        var out: [Series] = []
        for series in source.series {
            try checkCancellation()
            let samples = series.samples
            var points: [Sample] = []
            var lo = 0, hi = 0
            for (stepIndex, ts) in steps().enumerated() {
                if stepIndex & 1023 == 1023 { try checkCancellation() }
                let ref = (source.at ?? ts) - source.offset
                let bounds = window(source.range, ref: ref)
                let lower = exactToday ? bounds.lowerBound - options.lookbackDelta : bounds.lowerBound
                // Under `@` every step has the same window: lo and hi from the first step stay
                // right, so later steps do not rescan the series (which made `x[1y] @ t` quadratic).
                while hi < samples.count && samples[hi].timestamp <= ref { hi += 1 }
                while lo < hi && samples[lo].timestamp < lower { lo += 1 }
                if lo >= hi { continue }
                let window = samples[lo..<hi]
                let params = scalarArgs.map { $0.first?.samples[stepIndex].value ?? .nan }
                let context = RangeContext(ts: ts, rangeStart: bounds.lowerBound, rangeEnd: ref, params: params)
                let value = exactToday ? RangeFunctions.exactIncrease(window, midnight: bounds.lowerBound)
                                       : try function(window, context)
                if let value { points.append(Sample(ts, value)) }
            }
            if !points.isEmpty {
                try account(points.count)
                out.append(Series(name == "last_over_time" ? series.labels : series.labels.withoutName, points))
            }
        }
        try Self.checkUnique(out.map(\.labels))
        if name == "absent_over_time" { return absentOverTime(out, arg: call.args[matrixIndex]) }
        return out
    }

    /// `absent_over_time`: 1 at each step where no input series had a sample.
    func absentOverTime(_ present: [Series], arg: Node) -> [Series] {
        var found = Set<Timestamp>()
        for series in present { for sample in series.samples { found.insert(sample.timestamp) } }
        let missing = steps().filter { !found.contains($0) }.map { Sample($0, 1) }
        guard !missing.isEmpty else { return [] }
        return [Series(Self.absentLabels(arg), missing)]
    }

    /// Labels for `absent()`: the selector's equality matchers, minus names matched otherwise too.
    static func absentLabels(_ node: Node) -> Labels {
        let matchers: [Matcher]
        switch node.unwrapped {
        case .vectorSelector(let selector), .matrixSelector(let selector, _): matchers = selector.matchers
        default: return Labels()
        }
        var labels = Labels()
        var emptied: [String] = []
        for matcher in matchers where matcher.name != Labels.metricName {
            if matcher.kind == .equal && labels[matcher.name] == nil {
                labels = labels.setting(matcher.name, to: matcher.value)
            } else {
                emptied.append(matcher.name)
            }
        }
        return labels.removing(Set(emptied))
    }
}
