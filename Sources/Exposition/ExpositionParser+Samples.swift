import Model

/// Sample lines: `name{label="value",...} value [timestamp] [# {exemplar labels} value [timestamp]]`.
extension ExpositionParser {
    mutating func parseSample(_ lexer: inout Lexer) throws(ExpositionError) -> ExpositionEntry? {
        var name = "", labels: Labels, labelsColumn = 0
        if caching, let hit = cache.lookupNext(lexer.bytes, at: lexer.position, lineEnd: lexer.end,
                                               lenientBlanks: format == .prometheusText) {
            labels = try useCached(hit, &lexer, nameStart: lexer.position)
            if format == .openMetrics {   // the name is read only for OpenMetrics' checks
                name = cache.name(at: hit.index)
                labelsColumn = lexer.column - hit.rawCount + name.utf8.count
            }
        } else {
            let (nameRange, sameName) = lexer.scanMetricName(like: lastNameRange)
            guard !nameRange.isEmpty else { throw error(lexer, "expected metric name") }
            labelsColumn = lexer.column
            (name, labels) = try seriesLabels(&lexer, nameRange, sameName: sameName)
        }
        guard lexer.skipBlanks() > 0, !lexer.atEnd else {
            throw error(lexer, lexer.atEnd ? "expected value after metric" : "invalid character after metric name or labels")
        }
        let valueStart = lexer.position
        let valueRange = lexer.scanToken()
        guard let value = NumberParsing.parseDouble(lexer.bytes, valueRange) else {
            lexer.position = valueStart
            throw error(lexer, "invalid value \"\(lexer.text(valueRange))\"")
        }
        let timestamp = try parseTimestampAndExemplar(&lexer)
        if format == .openMetrics { try checkOpenMetricsSample(name, labels, column: labelsColumn) }
        try checkDuplicate(labels, timestamp)
        return .sample(labels: labels, value: value, timestamp: timestamp)
    }

    /// The metric name and labels of the series starting at `nameRange`: from the cache when these
    /// exact bytes were decoded before, otherwise decoded and remembered. Leaves `seriesHash` set.
    /// `sameName`: the name has the bytes of `lastName`.
    private mutating func seriesLabels(_ lexer: inout Lexer, _ nameRange: Range<Int>, sameName: Bool) throws(ExpositionError) -> (String, Labels) {
        let end = caching ? lexer.seriesEnd(lenientBlanks: format == .prometheusText) : nil
        let raw = UnsafeBufferPointer(rebasing: lexer.bytes[nameRange.lowerBound..<(end ?? nameRange.upperBound)])
        let rawHash = end == nil ? 0 : StringInterner.hash(raw)
        if end != nil, let hit = cache.lookup(raw, hash: rawHash) {
            return (cache.name(at: hit.index), try useCached(hit, &lexer, nameStart: nameRange.lowerBound))
        }
        cacheIndex = nil
        lastFromCache = false
        if !isKnownUniquelyReferenced(&pending) { pending = pending.copy() }
        let (name, nameHash) = sameName ? (lastName, lastNameHash) : metricName(lexer.bytes, nameRange)
        try checkFamily(name, lexer, nameRange.lowerBound)
        let labelsColumn: Int
        if let resume = resumeSharedPrefix(lexer.bytes, seriesStart: nameRange.lowerBound, end: lexer.end) {
            labelsColumn = nameRange.lowerBound + pendingLabelsOffset - lexer.lineStart + 1
            lexer.position = nameRange.lowerBound + resume
            try parseLabels(&lexer, exemplar: false, resuming: true)
        } else {
            pending.truncate(to: 0)
            if !otherLabels.isEmpty { otherLabels.removeAll(keepingCapacity: true) }
            pendingSeriesStart = nameRange.lowerBound
            pending.append(PendingLabel(key: PendingLabel.metricNameKey, nameStart: 0, nameCount: 8,
                                        index: PendingLabel.metricNameIndex, isEmpty: false))
            seriesHash = SeriesSet.term(nameHash: ExpositionParser.metricNameHash, valueHash: nameHash)
            labelsInOrder = true
            hasEmptyValue = false
            if format == .prometheusText {
                // `name {` is accepted in the text format; the blanks are kept if no label set follows.
                let beforeBlanks = lexer.position
                if lexer.skipBlanks() > 0, lexer.current != .openBrace { lexer.position = beforeBlanks }
            }
            labelsColumn = lexer.column
            pendingLabelsOffset = lexer.position - nameRange.lowerBound
            if lexer.consume(.openBrace) { try parseLabels(&lexer, exemplar: false) }
        }
        let labels = try finishLabels(lexer.bytes, metricName: name, column: labelsColumn)
        if end == lexer.position {
            // A caller that defers cached labels keeps its own form of them: the cache then keeps
            // only the bytes, and decodes them again in the rare case it is asked.
            let kept = deferCachedLabels && format == .prometheusText ? Labels() : labels
            cacheIndex = cache.insert(raw, hash: rawHash, labels: kept, name: name, seriesHash: seriesHash)
        }
        return (name, labels)
    }

    /// The metric name at `range` and the hash of its bytes, remembered as the last one.
    private mutating func metricName(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (String, UInt64) {
        let hash = StringInterner.hash(UnsafeBufferPointer(rebasing: bytes[range]))
        let name = interner.intern(bytes, range, hash: hash)
        lastNameRange = range
        lastName = name
        lastNameHash = hash
        return (name, hash)
    }

    /// When this series' text starts as the one `pending` holds does, up to and including the
    /// closing quote of one of its labels (a histogram's buckets, or the series of a family that
    /// share their first labels), keeps those labels and the state after them, and returns where
    /// to resume (relative to `seriesStart`). The same bytes parse the same way, so nothing is
    /// scanned, hashed or looked up again. Nil when not even the first label is shared.
    private mutating func resumeSharedPrefix(_ bytes: UnsafeBufferPointer<UInt8>, seriesStart: Int, end: Int) -> Int? {
        guard pending.count > 1, let base = bytes.baseAddress else { return nil }
        let limit = min(Int(pending.last.end), end - seriesStart)
        let old = UnsafeRawPointer(base + pendingSeriesStart), new = UnsafeRawPointer(base + seriesStart)
        var common = 0
        while common + 8 <= limit,
              old.loadUnaligned(fromByteOffset: common, as: UInt64.self) == new.loadUnaligned(fromByteOffset: common, as: UInt64.self) {
            common += 8
        }
        while common < limit, old.load(fromByteOffset: common, as: UInt8.self) == new.load(fromByteOffset: common, as: UInt8.self) {
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

    /// Takes a cached series whose text starts at `nameStart`: the cursor moves past it.
    private mutating func useCached(_ hit: SeriesCache.Hit, _ lexer: inout Lexer, nameStart: Int) throws(ExpositionError) -> Labels {
        if format == .openMetrics { try checkFamily(cache.name(at: hit.index), lexer, nameStart) }
        lexer.position = nameStart + hit.rawCount
        seriesHash = hit.seriesHash
        cacheIndex = hit.index
        lastFromCache = true
        // Not read from the entry when the caller does without (see `deferCachedLabels`): the
        // label set's object is then not touched, a cache miss per sample saved on large targets.
        let deferred = deferCachedLabels && format == .prometheusText
        return deferred ? Labels() : cache.labels(at: hit.index)
    }

    private mutating func checkFamily(_ name: String, _ lexer: Lexer, _ nameStart: Int) throws(ExpositionError) {
        guard format == .openMetrics, let message = families.sample(name) else { return }
        throw ExpositionError(line: lineNumber, column: nameStart - lexer.lineStart + 1, message: message)
    }

    private mutating func parseTimestampAndExemplar(_ lexer: inout Lexer) throws(ExpositionError) -> Timestamp? {
        guard lexer.skipBlanks() > 0, !lexer.atEnd else {
            if !lexer.atEnd { throw error(lexer, "invalid character after value") }
            return nil
        }
        var timestamp: Timestamp?
        if lexer.current != .hash {
            let start = lexer.position
            let range = lexer.scanToken()
            timestamp = format == .openMetrics
                ? NumberParsing.parseSecondsAsMilliseconds(lexer.bytes, range)
                : NumberParsing.parseMilliseconds(lexer.bytes, range)
            guard timestamp != nil else {
                lexer.position = start
                throw error(lexer, "invalid timestamp \"\(lexer.text(range))\"")
            }
            lexer.skipBlanks()
        }
        if lexer.atEnd { return timestamp }
        guard format == .openMetrics, lexer.current == .hash else {
            throw error(lexer, "unexpected text after \(timestamp == nil ? "value" : "timestamp")")
        }
        try parseExemplar(&lexer)
        return timestamp
    }

    /// `# {labels} value [timestamp]`: validated, then dropped.
    private mutating func parseExemplar(_ lexer: inout Lexer) throws(ExpositionError) {
        lexer.position += 1
        guard lexer.skipBlanks() > 0, lexer.consume(.openBrace) else { throw error(lexer, "expected { after # in exemplar") }
        exemplarScratch.removeAll(keepingCapacity: true)
        try parseLabels(&lexer, exemplar: true)
        guard lexer.skipBlanks() > 0, !lexer.atEnd else { throw error(lexer, "expected exemplar value") }
        let valueRange = lexer.scanToken()
        guard NumberParsing.parseDouble(lexer.bytes, valueRange) != nil else {
            lexer.position = valueRange.lowerBound
            throw error(lexer, "invalid exemplar value \"\(lexer.text(valueRange))\"")
        }
        if lexer.skipBlanks() > 0, !lexer.atEnd {
            let range = lexer.scanToken()
            guard NumberParsing.parseSecondsAsMilliseconds(lexer.bytes, range) != nil else {
                lexer.position = range.lowerBound
                throw error(lexer, "invalid exemplar timestamp \"\(lexer.text(range))\"")
            }
            lexer.skipBlanks()
        }
        guard lexer.atEnd else { throw error(lexer, "unexpected text after exemplar") }
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
        if pending.index == PendingLabel.metricNameIndex { return Label(Labels.metricName, metricName) }
        return otherLabels[Int(-pending.index - 2)]
    }

    /// Sorts the pending labels (by their name bytes, when they did not come in order), rejects
    /// repeated names, and builds the sample's `Labels` without the empty values, in one array of
    /// the right size.
    private mutating func finishLabels(_ bytes: UnsafeBufferPointer<UInt8>, metricName: String,
                                       column: Int) throws(ExpositionError) -> Labels {
        // `pending` stays in written order for the next sample (see `resumeSharedPrefix`).
        let ordered = labelsInOrder ? pending.inWrittenOrder : pending.sortedByName(bytes)
        if !labelsInOrder {
            for index in 1..<ordered.count where !ordered[index - 1].precedes(ordered[index], in: bytes) {
                let name = label(ordered[index], metricName: metricName).name
                throw ExpositionError(line: lineNumber, column: column, message: "duplicate label name \(name)")
            }
        }
        var count = pending.count
        if hasEmptyValue { for label in ordered where label.isEmpty { count -= 1 } }
        var storage: [Label] = []
        storage.reserveCapacity(count)
        for pendingLabel in ordered where !pendingLabel.isEmpty {
            let index = Int(pendingLabel.index)
            storage.append(index >= 0 ? pairLabels[index]
                : index == Int(PendingLabel.metricNameIndex) ? Label(Labels.metricName, metricName)
                : otherLabels[-index - 2])
        }
        return Labels(sortedUnique: storage)
    }

    /// Rejects a series that already occurred in this payload. Series the cache knows are counted
    /// on their (canonical) cache entry, walked in order; others in `seen`, which stays empty when
    /// the cache is warm, so a steady scrape does no random-access lookup for this.
    private mutating func checkDuplicate(_ labels: Labels, _ timestamp: Timestamp?) throws(ExpositionError) {
        var repeated: Timestamp?? = nil
        if let cacheIndex {
            repeated = cache.occur(cacheIndex, timestamp: timestamp)
            if repeated == nil, seen.count > 0, case .existing(let previous) = seen.insert(hash: seriesHash, timestamp: timestamp) {
                repeated = .some(previous)
            }
        } else if !caching {
            if case .existing(let previous) = seen.insert(hash: seriesHash, timestamp: timestamp) { repeated = .some(previous) }
        } else {
            let known = cache.occur(seriesHash: seriesHash, timestamp: timestamp)
            repeated = known.previous
            if !known.known, case .existing(let previous) = seen.insert(hash: seriesHash, timestamp: timestamp) {
                repeated = .some(previous)
            }
        }
        guard case .some(let previous) = repeated else { return }
        // OpenMetrics allows several points of one series with increasing timestamps.
        if let before = previous, let now = timestamp, now > before { return }
        let series = labels.isEmpty ? cacheIndex.map { cache.labels(at: $0) } ?? labels : labels
        throw ExpositionError(line: lineNumber, column: 1, message: "duplicate sample for series \(series)")
    }
}
