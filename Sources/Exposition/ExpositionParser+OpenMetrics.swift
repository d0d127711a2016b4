import Model

/// Per-sample OpenMetrics rules that need the labels: buckets carry `le`, quantiles `quantile`,
/// both as numbers; a stateset sample carries a label named after its family.
extension ExpositionParser {
    // `mutating` (as `pendingLabelIsNumeric`) though it changes nothing: a non-mutating method is
    // handed a copy of the whole parser here, a few hundred bytes per sample.
    mutating func checkOpenMetricsSample(_ name: String, _ labels: Labels, column: Int) throws(ExpositionError) {
        switch families.lastKind {
        case .plain: return
        case .bucket:
            if pendingLabelIsNumeric(key: ExpositionParser.leKey, count: 2) { return }
            try requireNumericLabel("le", of: name, labels, column: column)
        case .quantile:
            if pendingLabelIsNumeric(key: ExpositionParser.quantileKey, count: 8) { return }
            try requireNumericLabel("quantile", of: name, labels, column: column)
        case .state:
            guard labels[name] != nil else {
                throw ExpositionError(line: lineNumber, column: column, message: "stateset sample \(name) has no label \(name)")
            }
        }
    }

    static let leKey = PendingLabel.nameKey("le")
    static let quantileKey = PendingLabel.nameKey("quantile")

    /// Whether the sample just decoded (not taken from the cache) has the label with this name
    /// (a name of at most 8 bytes: its key and length) with a number for value, read from the
    /// pending labels without making a `String`. False means "ask the labels".
    private mutating func pendingLabelIsNumeric(key: UInt64, count: Int32) -> Bool {
        guard !lastFromCache else { return false }
        // From the last label: `le` and `quantile` are usually written last. A name occurs at
        // most once (a repeated one was rejected when the labels were finished).
        for label in pending.inWrittenOrder.reversed() where label.key == key && label.nameCount == count {
            guard !label.isMetricName, !label.isEmpty, !label.valueInArena else { return false }
            let value = label.valueStart..<label.valueStart + Int(label.valueCount)
            return bytes.withUnsafeBufferPointer { NumberParsing.parseDouble($0, value) } != nil
        }
        return false
    }

    /// Checks the label on the sample's `Labels` (a sample from the cache, or a label the pending
    /// labels could not answer for), reading its bytes rather than making a `String`.
    private mutating func requireNumericLabel(_ label: StaticString, of name: String, _ labels: Labels, column: Int) throws(ExpositionError) {
        let numeric: Bool? = labels.withBytes { set in
            guard let index = set.index(of: UnsafeBufferPointer(start: label.utf8Start, count: label.utf8CodeUnitCount)) else { return nil }
            let value = set.value(index)
            return NumberParsing.parseDouble(value, 0..<value.count) != nil
        }
        guard let numeric else {
            throw ExpositionError(line: lineNumber, column: column, message: "\(name) has no \(label) label")
        }
        guard numeric else {
            let text = labels["\(label)"] ?? ""
            throw ExpositionError(line: lineNumber, column: column, message: "\(name) has non-numeric \(label) \"\(text)\"")
        }
    }
}
