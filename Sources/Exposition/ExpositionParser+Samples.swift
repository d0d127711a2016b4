import Model

/// Sample lines: `name{label="value",...} value [timestamp] [# {exemplar labels} value [timestamp]]`.
extension ExpositionParser {
    mutating func parseSample(_ lexer: inout Lexer) throws(ExpositionError) -> ExpositionSample {
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
        let value: Double
        if let (fast, valueEnd) = NumberParsing.parseSampleValue(lexer.bytes, from: valueStart, lineEnd: lexer.end) {
            value = fast
            lexer.position = valueEnd
        } else {
            let valueRange = lexer.scanToken()
            guard let parsed = NumberParsing.parseDouble(lexer.bytes, valueRange) else {
                lexer.position = valueStart
                throw error(lexer, "invalid value \"\(lexer.text(valueRange))\"")
            }
            value = parsed
        }
        // Most lines end after the value: no call to find that out.
        let timestamp = lexer.atEnd ? nil : try parseTimestampAndExemplar(&lexer)
        // Only buckets, quantiles and stateset samples have label rules to check.
        if format == .openMetrics, families.lastKind != .plain { try checkOpenMetricsSample(name, labels, column: labelsColumn) }
        if caching {
            try checkDuplicate(labels, timestamp)
        } else if case .existing(let previous) = seen.insert(hash: seriesHash, timestamp: timestamp) {
            // A one-off parse (no cache, so no cache entry either) counts every series in `seen`.
            try rejectRepeat(previous: previous, labels, timestamp)
        }
        return ExpositionSample(labels: labels, value: value, timestamp: timestamp)
    }

    /// The metric name (empty unless `namesNeeded`) and labels of the series starting at `nameRange`: from the cache when these
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
        // The name as a `String` only for what reads it: OpenMetrics' family checks and the cache.
        // A one-off text parse needs only its hash, so no string is made, retained or released.
        let (name, nameHash) = sameName ? (namesNeeded ? lastName : "", lastNameHash) : metricName(lexer.bytes, nameRange)
        if format == .openMetrics { try checkFamily(name, lexer, nameRange.lowerBound) }   // a call and a copy of the lexer saved otherwise
        let labelsColumn: Int
        // The series `pending` holds has the name at `lastNameRange` (every decode leaves both for
        // the same series), so a name the scan found equal to that one needs no comparing again.
        if let resume = resumeSharedPrefix(lexer.bytes, seriesStart: nameRange.lowerBound, end: lexer.end,
                                           known: sameName ? nameRange.count : 0) {
            labelsColumn = nameRange.lowerBound + pendingLabelsOffset - lexer.lineStart + 1
            lexer.position = nameRange.lowerBound + resume
            try parseLabels(&lexer, exemplar: false, resuming: true)
        } else {
            pending.truncate(to: 0)
            if !valueArena.isEmpty { valueArena.removeAll(keepingCapacity: true) }
            pendingSeriesStart = nameRange.lowerBound
            var metricLabel = PendingLabel(key: PendingLabel.metricNameKey, nameStart: 0, nameCount: 8,
                                           isMetricName: true, isEmpty: false)
            metricLabel.valueStart = nameRange.lowerBound
            metricLabel.valueCount = Int32(nameRange.count)
            pending.append(metricLabel)
            labelByteCount = 8 + nameRange.count
            seriesHash = nameHash
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
        if !caching { seen.prefetch(hash: seriesHash) }
        let labels = try finishLabels(lexer.bytes, metricName: nameRange, column: labelsColumn)
        if end == lexer.position {
            // A caller that defers cached labels keeps its own form of them: the cache then keeps
            // only the bytes, and decodes them again in the rare case it is asked.
            let kept = deferCachedLabels && format == .prometheusText ? Labels() : labels
            cacheIndex = cache.insert(raw, hash: rawHash, labels: kept, name: name, seriesHash: seriesHash)
        }
        return (name, labels)
    }

    /// The metric name at `range` and the hash of its bytes (its term in the series hash),
    /// remembered as the last one.
    /// The name is empty when `namesNeeded` is false.
    private mutating func metricName(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (String, UInt64) {
        let hash = StringInterner.hash(UnsafeBufferPointer(rebasing: bytes[range]))
        lastNameRange = range
        lastNameHash = hash
        guard namesNeeded else { return ("", hash) }
        let name = interner.intern(bytes, range, hash: hash)
        lastName = name
        return (name, hash)
    }

    /// Whether a sample's metric name is needed as a `String` (OpenMetrics' family checks, the
    /// cache's entries); a one-off parse of the text format needs only its bytes and hash.
    var namesNeeded: Bool { caching || format == .openMetrics }


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

    /// Rejects a series that already occurred in this payload. Series the cache knows are counted
    /// on their (canonical) cache entry, walked in order; others in `seen`, which stays empty when
    /// the cache is warm, so a steady scrape does no random-access lookup for this. For a parser
    /// with a cache; a one-off parse checks `seen` alone, in `parseSample`.
    private mutating func checkDuplicate(_ labels: Labels, _ timestamp: Timestamp?) throws(ExpositionError) {
        var repeated: Timestamp?? = nil
        if let cacheIndex {
            repeated = cache.occur(cacheIndex, timestamp: timestamp)
            if repeated == nil, seen.count > 0, case .existing(let previous) = seen.insert(hash: seriesHash, timestamp: timestamp) {
                repeated = .some(previous)
            }
        } else {
            let known = cache.occur(seriesHash: seriesHash, timestamp: timestamp)
            repeated = known.previous
            if !known.known, case .existing(let previous) = seen.insert(hash: seriesHash, timestamp: timestamp) {
                repeated = .some(previous)
            }
        }
        guard case .some(let previous) = repeated else { return }
        try rejectRepeat(previous: previous, labels, timestamp)
    }

    /// A series seen before in this payload, with the timestamp it had then: an error unless both
    /// have timestamps and this one is later (OpenMetrics allows several points of one series
    /// with increasing timestamps).
    private mutating func rejectRepeat(previous: Timestamp?, _ labels: Labels, _ timestamp: Timestamp?) throws(ExpositionError) {
        if let before = previous, let now = timestamp, now > before { return }
        let series = labels.isEmpty ? cacheIndex.map { cache.labels(at: $0) } ?? labels : labels
        throw ExpositionError(line: lineNumber, column: 1, message: "duplicate sample for series \(series)")
    }
}
