import Model

/// Per-sample OpenMetrics rules that need the labels: buckets carry `le`, quantiles `quantile`,
/// both as numbers; a stateset sample carries a label named after its family.
extension ExpositionParser {
    func checkOpenMetricsSample(_ name: String, _ labels: Labels, column: Int) throws(ExpositionError) {
        let type = families.currentType
        switch type {
        case .histogram, .gaugehistogram:
            guard name.hasSuffix("_bucket") else { return }
            try requireNumericLabel("le", of: name, labels, column: column)
        case .summary:
            guard labels[Labels.metricName] == families.currentFamily else { return }
            try requireNumericLabel("quantile", of: name, labels, column: column)
        case .stateset:
            guard labels[name] != nil else {
                throw ExpositionError(line: lineNumber, column: column, message: "stateset sample \(name) has no label \(name)")
            }
        case .counter, .gauge, .info, .unknown:
            return
        }
    }

    private func requireNumericLabel(_ label: String, of name: String, _ labels: Labels, column: Int) throws(ExpositionError) {
        guard let text = labels[label] else {
            throw ExpositionError(line: lineNumber, column: column, message: "\(name) has no \(label) label")
        }
        let bytes = Array(text.utf8)
        let valid = bytes.withUnsafeBufferPointer { NumberParsing.parseDouble($0, 0..<$0.count) } != nil
        guard valid else {
            throw ExpositionError(line: lineNumber, column: column, message: "\(name) has non-numeric \(label) \"\(text)\"")
        }
    }
}
