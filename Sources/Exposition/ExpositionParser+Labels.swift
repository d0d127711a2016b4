import Model

/// Label sets: `{name="value",...}` scanned into the sample's pending labels (plain values: a
/// name sort key and where the decoded label is), each distinct spelling decoded once per payload,
/// then sorted by their name bytes into the sample's `Labels`. A series whose text starts like the
/// previous one's takes over the labels of the shared part.
extension ExpositionParser {
    /// When this series' text starts as the one `pending` holds does, up to and including the
    /// closing quote of one of its labels (a histogram's buckets, or the series of a family that
    /// share their first labels), keeps those labels and the state after them, and returns where
    /// to resume (relative to `seriesStart`). The same bytes parse the same way, so nothing is
    /// scanned, hashed or looked up again. Nil when not even the first label is shared.
    mutating func resumeSharedPrefix(_ bytes: UnsafeBufferPointer<UInt8>, seriesStart: Int, end: Int) -> Int? {
        guard pending.count > 1, let base = bytes.baseAddress else { return nil }
        let limit = min(Int(pending.last.end), end - seriesStart)
        let old = UnsafeRawPointer(base + pendingSeriesStart), new = UnsafeRawPointer(base + seriesStart)
        var common = 0, differs = false
        while common + 8 <= limit {
            // The first differing byte is the lowest nonzero byte of the (little-endian) words' XOR.
            let difference = UInt64(littleEndian: old.loadUnaligned(fromByteOffset: common, as: UInt64.self))
                ^ UInt64(littleEndian: new.loadUnaligned(fromByteOffset: common, as: UInt64.self))
            if difference != 0 {
                common += difference.trailingZeroBitCount >> 3
                differs = true
                break
            }
            common += 8
        }
        while !differs, common < limit, old.load(fromByteOffset: common, as: UInt8.self) == new.load(fromByteOffset: common, as: UInt8.self) {
            common += 1
        }
        var kept = pending.count - 1
        while kept > 0, Int(pending[kept].end) > common { kept -= 1 }
        guard kept > 0 else { return nil }
        pending.truncate(to: kept + 1)
        let last = pending[kept]
        let othersKept = Int(last.otherCount)
        if otherLabels.count > othersKept { otherLabels.removeLast(otherLabels.count - othersKept) }
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
            if afterValue {
                afterValue = false
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
            let nameRange = lexer.scanLabelName()
            guard !nameRange.isEmpty else {
                throw error(lexer, lexer.atEnd ? "unterminated label set" : "expected label name")
            }
            lexer.skipBlanks()
            guard lexer.consume(.equals) else { throw error(lexer, "expected = after label name") }
            lexer.skipBlanks()
            guard lexer.current == .quote else { throw error(lexer, "expected label value in quotes") }
            let valueColumn = lexer.column
            guard let quoted = lexer.scanQuoted() else { throw error(lexer, "unterminated label value") }
            if exemplar {
                guard let (value, _) = decodeLabelValue(lexer.bytes, quoted) else {
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

    /// The label value and the hash of its bytes: interned when short and plain, unescaped
    /// (`\\`, `\"`, `\n`) otherwise. Nil if it is not valid UTF-8.
    private mutating func decodeLabelValue(_ bytes: UnsafeBufferPointer<UInt8>, _ quoted: QuotedRange) -> (String, UInt64)? {
        if !quoted.hasEscapes {
            let raw = UnsafeBufferPointer(rebasing: bytes[quoted.range])
            let hash = StringInterner.hash(raw)
            if quoted.isASCII {
                let value = raw.count <= 48
                    ? interner.intern(bytes, quoted.range, hash: hash)
                    : String(decoding: raw, as: UTF8.self)
                return (value, hash)
            }
            return String(validating: raw, as: UTF8.self).map { ($0, hash) }
        }
        unescapeBuffer.removeAll(keepingCapacity: true)
        var index = quoted.range.lowerBound
        while index < quoted.range.upperBound {
            var byte = bytes[index]
            if byte == .backslash, index + 1 < quoted.range.upperBound {
                let escaped = bytes[index + 1]
                switch escaped {
                case .backslash, .quote: byte = escaped; index += 1
                case UInt8(ascii: "n"): byte = .newline; index += 1
                default: break   // kept verbatim, as Prometheus does
                }
            }
            unescapeBuffer.append(byte)
            index += 1
        }
        let hash = unescapeBuffer.withUnsafeBufferPointer { StringInterner.hash($0) }
        return String(validating: unescapeBuffer, as: UTF8.self).map { ($0, hash) }
    }

    /// Adds the label spelled `name="value"` here to the sample's pending labels and series hash.
    /// Plain ASCII spellings are decoded once per payload and then found by their bytes.
    /// False if the value is not valid UTF-8.
    private mutating func addLabel(_ bytes: UnsafeBufferPointer<UInt8>, _ nameRange: Range<Int>, _ quoted: QuotedRange) -> Bool {
        let index: Int32, info: LabelPairInfo
        if !quoted.hasEscapes && quoted.isASCII {
            let key = UnsafeBufferPointer(rebasing: bytes[nameRange.lowerBound..<quoted.range.upperBound])
            let keyHash = StringInterner.hash(key)
            if let found = pairs.lookup(key, hash: keyHash) {
                index = found
                info = pairInfo[Int(found)]
            } else {
                guard let (label, made) = decodeLabel(bytes, nameRange, quoted) else { return false }
                info = made
                if pairLabels.count < ByteKeyTable<Int32>.capacityLimit {
                    index = Int32(pairLabels.count)
                    pairs.insert(key, hash: keyHash, index)
                    pairLabels.append(label)
                    pairInfo.append(made)
                } else {
                    index = -2 - Int32(otherLabels.count)
                    otherLabels.append(label)
                }
            }
        } else {
            guard let (label, made) = decodeLabel(bytes, nameRange, quoted) else { return false }
            info = made
            index = -2 - Int32(otherLabels.count)
            otherLabels.append(label)
        }
        var label = PendingLabel(key: info.nameKey, nameStart: nameRange.lowerBound, nameCount: Int32(nameRange.count),
                                 index: index, isEmpty: info.isEmpty)
        if info.isEmpty { hasEmptyValue = true } else { seriesHash &+= info.term }
        if labelsInOrder { labelsInOrder = pending.last.precedes(label, in: bytes) }
        label.end = Int32(clamping: quoted.range.upperBound + 1 - pendingSeriesStart)
        label.seriesHash = seriesHash
        label.inOrder = labelsInOrder
        label.hasEmptyValue = hasEmptyValue
        label.otherCount = Int32(otherLabels.count)
        pending.append(label)
        return true
    }

    /// Decodes the label spelled `name="value"` here, with what the parser keeps beside it.
    private mutating func decodeLabel(_ bytes: UnsafeBufferPointer<UInt8>, _ nameRange: Range<Int>,
                                      _ quoted: QuotedRange) -> (Label, LabelPairInfo)? {
        let nameHash = StringInterner.hash(UnsafeBufferPointer(rebasing: bytes[nameRange]))
        let name = interner.intern(bytes, nameRange, hash: nameHash)
        guard let (value, valueHash) = decodeLabelValue(bytes, quoted) else { return nil }
        let nameKey = bytes.baseAddress.map { PendingLabel.nameKey($0 + nameRange.lowerBound, nameRange.count) } ?? 0
        let info = LabelPairInfo(nameKey: nameKey,
                                 term: value.isEmpty ? 0 : SeriesSet.term(nameHash: nameHash, valueHash: valueHash),
                                 isEmpty: value.isEmpty)
        return (Label(name, value), info)
    }

    /// The decoded label a pending label stands for.
    @inline(__always)
    private func label(_ pending: PendingLabel, metricName: String) -> Label {
        if pending.index >= 0 { return pairLabels[Int(pending.index)] }
        if pending.index == PendingLabel.metricNameIndex { return Label(ExpositionParser.metricNameLabel, metricName) }
        return otherLabels[Int(-pending.index - 2)]
    }

    /// Sorts the pending labels (by their name bytes, when they did not come in order), rejects
    /// repeated names, and builds the sample's `Labels` without the empty values, in one array of
    /// the right size.
    mutating func finishLabels(_ bytes: UnsafeBufferPointer<UInt8>, metricName: String, column: Int) throws(ExpositionError) -> Labels {
        // `pending` stays in written order for the next sample (see `resumeSharedPrefix`).
        let written = pending.inWrittenOrder
        var count = written.count
        if hasEmptyValue { for label in written where label.isEmpty { count -= 1 } }
        var order: UnsafeBufferPointer<Int32>?
        if !labelsInOrder {
            let (sorted, distinctKeys) = pending.sortedByName(bytes)
            if !distinctKeys {
                for index in 1..<sorted.count where !written[Int(sorted[index - 1])].precedes(written[Int(sorted[index])], in: bytes) {
                    let name = label(written[Int(sorted[index])], metricName: metricName).name
                    throw ExpositionError(line: lineNumber, column: column, message: "duplicate label name \(name)")
                }
            }
            order = sorted
        }
        // Reserved and appended: `Array(unsafeUninitializedCapacity:)` allocates through the
        // unspecialised generic path, three times the instructions of the reserve.
        var storage: [Label] = []
        storage.reserveCapacity(count)
        if let order {
            for position in order where !written[Int(position)].isEmpty {
                storage.append(label(written[Int(position)], metricName: metricName))
            }
        } else {
            for pendingLabel in written where !pendingLabel.isEmpty {
                storage.append(label(pendingLabel, metricName: metricName))
            }
        }
        return Labels(sortedUnique: storage)
    }
}
