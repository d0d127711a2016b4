import Model

/// Label sets: `{name="value",...}` scanned into the sample's pending labels (plain values: a
/// name sort key and where the decoded label is), each label's spelling hashed into the series
/// hash, then sorted by their name bytes into the sample's `Labels`. A series whose text starts
/// like the previous one's takes over the labels of the shared part.
extension ExpositionParser {
    /// When this series' text starts as the one `pending` holds does, up to and including the
    /// closing quote of one of its labels (a histogram's buckets, or the series of a family that
    /// share their first labels), keeps those labels and the state after them, and returns where
    /// to resume (relative to `seriesStart`). The same bytes parse the same way, so nothing is
    /// scanned, hashed or looked up again. Nil when not even the first label is shared.
    /// `known`: how many first bytes are already known to be the same (the metric name, when the
    /// scan found it equal to the last one, which is the name of the series `pending` holds).
    @inline(__always)   // once per sample, in seriesLabels
    mutating func resumeSharedPrefix(_ bytes: UnsafeBufferPointer<UInt8>, seriesStart: Int, end: Int, known: Int) -> Int? {
        guard pending.count > 1, let base = bytes.baseAddress else { return nil }
        let limit = min(Int(pending.last.end), end - seriesStart)
        let old = UnsafeRawPointer(base + pendingSeriesStart), new = UnsafeRawPointer(base + seriesStart)
        var common = min(known, limit), differs = false
        // Wrapping arithmetic: offsets within one line.
        while common &+ 8 <= limit {
            // The first differing byte is the lowest nonzero byte of the (little-endian) words' XOR.
            let difference = UInt64(littleEndian: old.loadUnaligned(fromByteOffset: common, as: UInt64.self))
                ^ UInt64(littleEndian: new.loadUnaligned(fromByteOffset: common, as: UInt64.self))
            if difference != 0 {
                common &+= difference.trailingZeroBitCount &>> 3
                differs = true
                break
            }
            common &+= 8
        }
        while !differs, common < limit, old.load(fromByteOffset: common, as: UInt8.self) == new.load(fromByteOffset: common, as: UInt8.self) {
            common &+= 1
        }
        var kept = pending.count &- 1
        while kept > 0, Int(pending[kept].end) > common { kept &-= 1 }
        guard kept > 0 else { return nil }
        pending.truncate(to: kept + 1)
        let last = pending[kept]
        if valueArena.count > last.arenaCount { valueArena.removeLast(valueArena.count - last.arenaCount) }
        labelByteCount = last.byteCount
        seriesHash = last.seriesHash
        labelsInOrder = last.inOrder
        hasEmptyValue = last.hasEmptyValue
        pendingSeriesStart = seriesStart
        return Int(last.end)
    }

    /// Parses `label="value",...}` (the `{` already consumed) into the sample's pending labels or the exemplar's scratch labels.
    /// `resuming`: the cursor is just after a label value, in the sample's label set.
    mutating func parseLabels(_ lexer: inout Lexer, exemplar: Bool, resuming: Bool = false) throws(ExpositionError) {
        var afterComma = false
        var afterValue = resuming
        while true {
            // The usual `,name` after a value goes straight on to the name: a `,` then a byte that
            // is neither a blank nor `}`, which the general path would skip or check.
            if afterValue, lexer.consumeCommaBeforeName() {
                afterComma = true
            } else if afterValue, lexer.consume(.closeBrace) {
                return   // the usual `"}` at the end
            } else {
                if afterValue {
                    lexer.skipBlanks()
                    afterComma = lexer.consume(.comma)
                    if !afterComma, lexer.current != .closeBrace {
                        throw error(lexer, lexer.atEnd ? "unterminated label set" : "expected , or } after label value")
                    }
                }
                lexer.skipBlanks()
                if lexer.consume(.closeBrace) {
                    if afterComma, format == .openMetrics {
                        lexer.position -= 1
                        throw error(lexer, "trailing comma in label set")
                    }
                    return
                }
            }
            afterValue = false
            let nameRange = lexer.scanLabelName()
            guard !nameRange.isEmpty else {
                throw error(lexer, lexer.atEnd ? "unterminated label set" : "expected label name")
            }
            if !lexer.consumeEqualsBeforeQuote() {   // the usual `name="`: one compare, no blanks to skip
                lexer.skipBlanks()
                guard lexer.consume(.equals) else { throw error(lexer, "expected = after label name") }
                lexer.skipBlanks()
                guard lexer.current == .quote else { throw error(lexer, "expected label value in quotes") }
            }
            guard let quoted = lexer.scanQuoted() else { throw error(lexer, "unterminated label value") }
            // The column of the opening quote, for the errors below (worked out only for them).
            var valueColumn: Int { quoted.range.lowerBound - lexer.lineStart }
            if exemplar {
                guard let value = decodeLabelValue(lexer.bytes, quoted) else {
                    throw ExpositionError(line: lineNumber, column: valueColumn, message: "invalid UTF-8 in label value")
                }
                exemplarScratch.append(Label(interner.intern(lexer.bytes, nameRange), value))
            } else {
                guard addLabel(lexer.bytes, nameRange, quoted) else {
                    throw ExpositionError(line: lineNumber, column: valueColumn, message: "invalid UTF-8 in label value")
                }
            }
            afterValue = true
        }
    }

    /// Appends the bytes of a quoted label value with `\\`, `\"` and `\n` unescaped; any other
    /// backslash is kept verbatim, as Prometheus does.
    static func appendUnescaped(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to out: inout [UInt8]) {
        var index = range.lowerBound
        while index < range.upperBound {
            var byte = bytes[index]
            if byte == .backslash, index + 1 < range.upperBound {
                let escaped = bytes[index + 1]
                switch escaped {
                case .backslash, .quote: byte = escaped; index += 1
                case UInt8(ascii: "n"): byte = .newline; index += 1
                default: break
                }
            }
            out.append(byte)
            index += 1
        }
    }

    /// An exemplar's label value: interned when short and plain, unescaped (`\\`, `\"`, `\n`)
    /// otherwise. Nil if it is not valid UTF-8.
    private mutating func decodeLabelValue(_ bytes: UnsafeBufferPointer<UInt8>, _ quoted: QuotedRange) -> String? {
        if !quoted.hasEscapes {
            let raw = UnsafeBufferPointer(rebasing: bytes[quoted.range])
            if quoted.isASCII {
                return raw.count <= 48 ? interner.intern(bytes, quoted.range) : String(decoding: raw, as: UTF8.self)
            }
            return String(validating: raw, as: UTF8.self)
        }
        unescapeBuffer.removeAll(keepingCapacity: true)
        Self.appendUnescaped(bytes, quoted.range, to: &unescapeBuffer)
        return String(validating: unescapeBuffer, as: UTF8.self)
    }

    /// Adds the label spelled `name="value"` here to the sample's pending labels (where its name and
    /// decoded value are, and the name's sort key) and its term to the series hash. Nothing is
    /// looked up per label. False if the value is not valid UTF-8.
    private mutating func addLabel(_ bytes: UnsafeBufferPointer<UInt8>, _ nameRange: Range<Int>, _ quoted: QuotedRange) -> Bool {
        var inArena = false, valueStart = quoted.range.lowerBound, valueCount = quoted.range.count
        if quoted.hasEscapes || !quoted.isASCII {
            guard let arenaStart = decodeValue(bytes, quoted) else { return false }
            if let arenaStart {
                inArena = true
                valueStart = arenaStart
                valueCount = valueArena.count - arenaStart
            }
        }
        let isEmpty = valueCount == 0
        var label = PendingLabel(key: PendingLabel.nameKey(bytes, nameRange), nameStart: nameRange.lowerBound,
                                 nameCount: Int32(nameRange.count), isMetricName: false, isEmpty: isEmpty)
        label.valueInArena = inArena
        label.valueStart = valueStart
        label.valueCount = Int32(valueCount)
        if isEmpty {
            hasEmptyValue = true
        } else {
            if !inArena && quoted.range.lowerBound == nameRange.upperBound &+ 2 {
                // Spelled canonically (`name="value"`, no blanks, no escapes): hash the bytes as
                // written, which the scanners found within the line (so no bounds check here).
                seriesHash &+= StringInterner.hash(UnsafeBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + nameRange.lowerBound,
                                                                       count: quoted.range.upperBound &+ 1 &- nameRange.lowerBound))
            } else {
                seriesHash &+= canonicalTerm(bytes, nameRange, label)
            }
            labelByteCount &+= nameRange.count &+ valueCount   // within the payload's length
        }
        if labelsInOrder { labelsInOrder = pending.last.precedes(label, in: bytes) }
        label.end = Int32(clamping: quoted.range.upperBound &+ 1 &- pendingSeriesStart)
        label.seriesHash = seriesHash
        label.inOrder = labelsInOrder
        label.hasEmptyValue = hasEmptyValue
        label.arenaCount = valueArena.count
        label.byteCount = labelByteCount
        pending.append(label)
        return true
    }

    /// The series hash term of a label not spelled canonically: the hash of its canonical spelling,
    /// `name="value"` with the decoded value's `\\`, `"` and newline escaped, so that every
    /// spelling of a label hashes the same.
    private mutating func canonicalTerm(_ bytes: UnsafeBufferPointer<UInt8>, _ nameRange: Range<Int>, _ label: PendingLabel) -> UInt64 {
        canonicalText.removeAll(keepingCapacity: true)
        canonicalText.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[nameRange]))
        canonicalText.append(.equals)
        canonicalText.append(.quote)
        let range = label.valueStart..<label.valueStart + Int(label.valueCount)
        func appendEscaped(_ value: UnsafeBufferPointer<UInt8>) {
            for byte in value {
                switch byte {
                case .backslash, .quote: canonicalText.append(.backslash); canonicalText.append(byte)
                case .newline: canonicalText.append(.backslash); canonicalText.append(UInt8(ascii: "n"))
                default: canonicalText.append(byte)
                }
            }
        }
        if label.valueInArena {
            let arena = valueArena
            arena.withUnsafeBufferPointer { appendEscaped(UnsafeBufferPointer(rebasing: $0[range])) }
        } else {
            appendEscaped(UnsafeBufferPointer(rebasing: bytes[range]))
        }
        canonicalText.append(.quote)
        return canonicalText.withUnsafeBufferPointer { StringInterner.hash($0) }
    }

    /// Checks a label value that has escapes or non-ASCII bytes: where its decoded bytes start in
    /// `valueArena` when unescaping put them there (nil: the payload's bytes are the decoded
    /// value). Nil if it is not valid UTF-8.
    private mutating func decodeValue(_ bytes: UnsafeBufferPointer<UInt8>, _ quoted: QuotedRange) -> Int?? {
        if !quoted.hasEscapes {
            guard String(validating: UnsafeBufferPointer(rebasing: bytes[quoted.range]), as: UTF8.self) != nil else { return nil }
            return .some(nil)
        }
        let start = valueArena.count
        Self.appendUnescaped(bytes, quoted.range, to: &valueArena)
        let valid = valueArena.withUnsafeBufferPointer { arena in
            String(validating: UnsafeBufferPointer(rebasing: arena[start...]), as: UTF8.self) != nil
        }
        return valid ? .some(start) : nil
    }

    /// The name bytes of a pending label.
    @inline(__always)
    private func nameBytes(_ label: PendingLabel, _ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        if label.isMetricName { return LabelBytes.metricNameBytes }
        return UnsafeBufferPointer(rebasing: bytes[label.nameStart..<label.nameStart + Int(label.nameCount)])
    }

    /// Sorts the pending labels (by their name bytes, when they did not come in order), rejects
    /// repeated names, and builds the sample's `Labels` without the empty values: their bytes
    /// copied from the payload (and `valueArena`) into the set's one buffer.
    /// `metricName`: where the metric name is in the payload.
    mutating func finishLabels(_ bytes: UnsafeBufferPointer<UInt8>, metricName: Range<Int>, column: Int) throws(ExpositionError) -> Labels {
        // `pending` stays in written order for the next sample (see `resumeSharedPrefix`).
        let written = pending.inWrittenOrder
        var count = written.count
        if hasEmptyValue { for label in written where label.isEmpty { count -= 1 } }
        var order: UnsafeBufferPointer<Int32>?
        if !labelsInOrder {
            let (sorted, distinctKeys) = pending.sortedByName(bytes)
            if !distinctKeys {
                for index in 1..<sorted.count where !written[Int(sorted[index - 1])].precedes(written[Int(sorted[index])], in: bytes) {
                    let name = String(decoding: nameBytes(written[Int(sorted[index])], bytes), as: UTF8.self)
                    throw ExpositionError(line: lineNumber, column: column, message: "duplicate label name \(name)")
                }
            }
            order = sorted
        }
        let metricNameBytes = UnsafeBufferPointer(rebasing: bytes[metricName])
        return valueArena.withUnsafeBufferPointer { arena in
            // The ranges were checked when the labels were scanned (or decoded into the arena).
            let payload = bytes.baseAddress.unsafelyUnwrapped, decoded = arena.baseAddress
            @inline(__always)
            func append(_ label: PendingLabel, _ writer: inout LabelsWriter) {
                if label.isMetricName {
                    writer.append(name: LabelBytes.metricNameBytes, value: metricNameBytes)
                    return
                }
                let values = label.valueInArena ? decoded.unsafelyUnwrapped : payload
                writer.append(name: UnsafeBufferPointer(start: payload + label.nameStart, count: Int(label.nameCount)),
                              value: UnsafeBufferPointer(start: values + label.valueStart, count: Int(label.valueCount)))
            }
            return Labels(unsafeCount: count, byteCount: labelByteCount) { writer in
                if let order {
                    for position in order where !written[Int(position)].isEmpty { append(written[Int(position)], &writer) }
                } else {
                    for label in written where !label.isEmpty { append(label, &writer) }
                }
            }
        }
    }
}
