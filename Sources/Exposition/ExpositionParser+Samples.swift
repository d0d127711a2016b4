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
            let nameRange = lexer.scanMetricName()
            guard !nameRange.isEmpty else { throw error(lexer, "expected metric name") }
            labelsColumn = lexer.column
            (name, labels) = try seriesLabels(&lexer, nameRange)
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
    private mutating func seriesLabels(_ lexer: inout Lexer, _ nameRange: Range<Int>) throws(ExpositionError) -> (String, Labels) {
        let end = caching ? lexer.seriesEnd(lenientBlanks: format == .prometheusText) : nil
        let raw = UnsafeBufferPointer(rebasing: lexer.bytes[nameRange.lowerBound..<(end ?? nameRange.upperBound)])
        let rawHash = end == nil ? 0 : StringInterner.hash(raw)
        if end != nil, let hit = cache.lookup(raw, hash: rawHash) {
            return (cache.name(at: hit.index), try useCached(hit, &lexer, nameStart: nameRange.lowerBound))
        }
        cacheIndex = nil
        lastFromCache = false
        let nameHash = StringInterner.hash(UnsafeBufferPointer(rebasing: lexer.bytes[nameRange]))
        let name = interner.intern(lexer.bytes, nameRange, hash: nameHash)
        try checkFamily(name, lexer, nameRange.lowerBound)
        // A fresh array each sample: it becomes the `Labels` storage without a copy.
        scratch = []
        scratch.reserveCapacity(labelCountHint)
        scratch.append(Label(Labels.metricName, name))
        seriesHash = SeriesSet.term(nameHash: ExpositionParser.metricNameHash, valueHash: nameHash)
        labelsInOrder = true
        previousLabelName = nil
        if format == .prometheusText {
            // `name {` is accepted in the text format; the blanks are kept if no label set follows.
            let beforeBlanks = lexer.position
            if lexer.skipBlanks() > 0, lexer.current != .openBrace { lexer.position = beforeBlanks }
        }
        let labelsColumn = lexer.column
        if lexer.consume(.openBrace) { try parseLabels(&lexer, exemplar: false) }
        let labels = try finishLabels(column: labelsColumn)
        if end == lexer.position {
            // A caller that defers cached labels keeps its own form of them: the cache then keeps
            // only the bytes, and decodes them again in the rare case it is asked.
            let kept = deferCachedLabels && format == .prometheusText ? Labels() : labels
            cacheIndex = cache.insert(raw, hash: rawHash, labels: kept, name: name, seriesHash: seriesHash)
        }
        return (name, labels)
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

    /// Parses `label="value",...}` (the `{` already consumed) into the sample's or the exemplar's scratch labels.
    mutating func parseLabels(_ lexer: inout Lexer, exemplar: Bool) throws(ExpositionError) {
        var afterComma = false
        while true {
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
                guard let pair = labelPair(lexer.bytes, nameRange, quoted) else {
                    throw ExpositionError(line: lineNumber, column: valueColumn, message: "invalid UTF-8 in label value")
                }
                noteLabel(lexer.bytes, nameRange, term: pair.term)
                scratch.append(pair.label)
            }
            lexer.skipBlanks()
            afterComma = lexer.consume(.comma)
            if !afterComma, lexer.current != .closeBrace {
                throw error(lexer, lexer.atEnd ? "unterminated label set" : "expected , or } after label value")
            }
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

    /// Sorts the scratch labels (usually already sorted), rejects repeated names, drops empty values.
    /// The label spelled `name="value"` here, with its series-hash term (nil for an empty value).
    /// Plain ASCII spellings are decoded once per payload and then found by their bytes.
    private mutating func labelPair(_ bytes: UnsafeBufferPointer<UInt8>, _ nameRange: Range<Int>, _ quoted: QuotedRange) -> LabelPair? {
        let plain = !quoted.hasEscapes && quoted.isASCII
        let key = UnsafeBufferPointer(rebasing: bytes[nameRange.lowerBound..<quoted.range.upperBound])
        let keyHash = plain ? StringInterner.hash(key) : 0
        if plain, let pair = pairs.lookup(key, hash: keyHash) { return pair }
        let nameHash = StringInterner.hash(UnsafeBufferPointer(rebasing: bytes[nameRange]))
        let name = interner.intern(bytes, nameRange, hash: nameHash)
        guard let (value, valueHash) = decodeLabelValue(bytes, quoted) else { return nil }
        let pair = LabelPair(label: Label(name, value),
                             term: value.isEmpty ? nil : SeriesSet.term(nameHash: nameHash, valueHash: valueHash))
        if plain { pairs.insert(key, hash: keyHash, pair) }
        return pair
    }

    /// Folds a label into the series hash and the in-order check (nil `term`: empty value).
    private mutating func noteLabel(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>, term: UInt64?) {
        guard let term else { labelsInOrder = false; return }
        seriesHash &+= term
        guard labelsInOrder else { return }
        if let previous = previousLabelName {
            labelsInOrder = ExpositionParser.bytesPrecede(bytes, previous, name)
        } else {
            labelsInOrder = ExpositionParser.followsMetricName(bytes, name)
        }
        previousLabelName = name
    }

    /// Whether `bytes[lhs]` sorts strictly before `bytes[rhs]` (byte order is string order for ASCII names).
    static func bytesPrecede(_ bytes: UnsafeBufferPointer<UInt8>, _ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        let common = min(lhs.count, rhs.count)
        for offset in 0..<common where bytes[lhs.lowerBound + offset] != bytes[rhs.lowerBound + offset] {
            return bytes[lhs.lowerBound + offset] < bytes[rhs.lowerBound + offset]
        }
        return lhs.count < rhs.count
    }

    /// Whether a label name sorts strictly after `__name__`.
    static func followsMetricName(_ bytes: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
        let metricName: StaticString = "__name__"
        let pointer = metricName.utf8Start
        let common = min(name.count, 8)
        for offset in 0..<common where bytes[name.lowerBound + offset] != pointer[offset] {
            return bytes[name.lowerBound + offset] > pointer[offset]
        }
        return name.count > 8
    }

    private mutating func finishLabels(column: Int) throws(ExpositionError) -> Labels {
        labelCountHint = scratch.count
        if labelsInOrder { return Labels(sortedUnique: scratch) }
        var hasEmpty = scratch[0].value.isEmpty
        for index in 1..<scratch.count {
            var position = index
            let label = scratch[index]
            if label.value.isEmpty { hasEmpty = true }
            while position > 0, label.name < scratch[position - 1].name {
                scratch[position] = scratch[position - 1]
                position -= 1
            }
            if position != index { scratch[position] = label }
        }
        for index in 1..<scratch.count where scratch[index].name == scratch[index - 1].name {
            throw ExpositionError(line: lineNumber, column: column, message: "duplicate label name \(scratch[index].name)")
        }
        return Labels(sortedUnique: hasEmpty ? scratch.filter { !$0.value.isEmpty } : scratch)
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

/// A decoded label and its contribution to the series hash (nil when the value is empty).
struct LabelPair {
    let label: Label
    let term: UInt64?
}
