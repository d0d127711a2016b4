import Model

/// Per-sample OpenMetrics rules that need the labels: buckets carry `le`, quantiles `quantile`,
/// both as numbers; a stateset sample carries a label named after its family.
extension ExpositionParser {
    func checkOpenMetricsSample(_ name: String, _ labels: Labels, column: Int) throws(ExpositionError) {
        switch families.lastKind {
        case .plain: return
        case .bucket: try requireNumericLabel("le", of: name, labels, column: column)
        case .quantile: try requireNumericLabel("quantile", of: name, labels, column: column)
        case .state:
            guard labels[name] != nil else {
                throw ExpositionError(line: lineNumber, column: column, message: "stateset sample \(name) has no label \(name)")
            }
        }
    }

    private func requireNumericLabel(_ label: String, of name: String, _ labels: Labels, column: Int) throws(ExpositionError) {
        guard var text = labels[label] else {
            throw ExpositionError(line: lineNumber, column: column, message: "\(name) has no \(label) label")
        }
        let valid = text.withUTF8 { NumberParsing.parseDouble($0, 0..<$0.count) } != nil
        guard valid else {
            throw ExpositionError(line: lineNumber, column: column, message: "\(name) has non-numeric \(label) \"\(text)\"")
        }
    }
}
