#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Model

/// A pull parser for one scraped payload in the Prometheus text format 0.0.4 or OpenMetrics 1.0.
///
/// Call `next()` (every entry) or `nextSample()` (samples only, as the scrape loop reads) until
/// it returns nil. The parser works on the bytes directly: no regex, no `String` per token or per
/// label; metric names are decoded once per payload. Each sample's `Labels` is one buffer filled
/// from the payload's bytes, sorted, without intermediate dictionaries. A scrape loop passes a
/// `SeriesCache` from one scrape of a target to the next, so series whose bytes did not change
/// reuse their `Labels` instead of being decoded again.
///
/// Duplicate series are recognised by a 64-bit hash of their labels, the sum of each label's
/// hash (see `SeriesSet`, `seriesHash`).
///
/// Errors are values with the 1-based line and column. After an error the parser is finished:
/// further calls throw the same error again. A payload that parses without error contains no
/// duplicate series; an OpenMetrics payload also ended with `# EOF`.
public struct ExpositionParser {
    /// The format the payload is parsed as.
    public let format: ExpositionFormat
    let bytes: [UInt8]
    var offset = 0
    var lineNumber = 0
    var sawEOF = false
    var finished = false
    var failure: ExpositionError?
    var interner = StringInterner()
    /// The current sample's labels as written (the metric name first), before they are sorted.
    var pending = PendingLabels()
    /// Where the series text `pending` was read from starts, and where its `{` is relative to that.
    var pendingSeriesStart = 0
    var pendingLabelsOffset = 0
    /// The decoded bytes of the current sample's escaped label values.
    var valueArena: [UInt8] = []
    /// How many name and value bytes the current sample's non-empty labels take.
    var labelByteCount = 0
    /// The previous sample's metric name, its bytes and their hash: consecutive samples usually share it.
    var lastNameRange = 0..<0
    var lastName = ""
    var lastNameHash: UInt64 = 0
    /// Where a label not spelled canonically is spelled so, to be hashed.
    var canonicalText: [UInt8] = []
    var exemplarScratch: [Label] = []
    var unescapeBuffer: [UInt8] = []
    var families = OpenMetricsFamilies()
    var seen = SeriesSet()
    /// Order-independent hash of the current sample's labels, accumulated while they are scanned:
    /// the sum of the hashes of each label's canonical spelling (`name="value"`, escaped; the
    /// metric name's bytes for the metric name).
    var seriesHash: UInt64 = 0
    /// The cache entry of the current sample's series, if it has one.
    var cacheIndex: Int?
    /// Whether the last sample's series was found in the cache (rather than decoded and added).
    var lastFromCache = false
    /// Whether the current sample's label names came strictly increasing (so no sort is needed);
    /// checked on the bytes as they are scanned.
    var labelsInOrder = true
    /// Whether a label of the current sample has an empty value (dropped from its `Labels`).
    var hasEmptyValue = false
    /// `Labels.metricName` as a literal, which needs no `swift_once` check nor retain where the
    /// per-sample path builds the metric name label (a test checks that the two are equal).
    static var metricNameLabel: String { "__name__" }

    /// A 64-bit hash of the labels of the sample `next()` returned last, the same for equal label
    /// sets however they were written: lets a caller recognise a series without hashing its `Labels`.
    public var lastSeriesHash: UInt64 { mutating get { seriesHash } }

    /// When set (text format only), a sample whose series came from the cache is returned with
    /// empty `Labels`; `lastCachedLabels` has them. For a caller that keeps what it derived from a
    /// series by `lastSeriesHash` and needs the labels only for series it has not seen.
    public var deferCachedLabels = false

    /// Whether the caller reads samples only (`nextSample()`): metadata lines are then checked but
    /// not made into entries.
    var samplesOnly = false

    /// The labels of the last sample if its series came from the cache, nil otherwise (the
    /// sample then carried its labels).
    /// A `mutating get`, as `lastSeriesHash`: from another module a plain getter is handed a copy
    /// of the whole parser (a few hundred bytes) per call; this one reads it in place.
    public var lastCachedLabels: Labels? { mutating get { lastFromCache ? cacheIndex.map { cache.labels(at: $0) } : nil } }

    /// Series decoded by this and earlier parses of the same target; see `SeriesCache`.
    public internal(set) var cache: SeriesCache

    /// Whether series are looked up in and added to `cache` (only when the caller passed one).
    let caching: Bool

    /// A parser over `bytes` (the whole, already decompressed response body), for a one-off parse.
    public init(_ bytes: [UInt8], format: ExpositionFormat) {
        self.bytes = bytes
        self.format = format
        self.cache = SeriesCache()
        self.caching = false
        seen.reserve(bytes.count / 64)
    }

    /// A parser for one scrape of a target that is scraped repeatedly. Pass the `cache` taken from
    /// the previous parse of the same target (or an empty one) to skip decoding series seen before;
    /// give it up (keep no other copy) so it is not copied on first write, and take it back from
    /// `cache` when done.
    public init(_ bytes: [UInt8], format: ExpositionFormat, cache: SeriesCache) {
        self.bytes = bytes
        self.format = format
        self.cache = cache
        self.caching = true
        self.cache.startPayload(format: format)
        seen.reserve(bytes.count / 64)
    }

    /// The next entry, nil at the end of the payload.
    /// - Throws: `ExpositionError` for malformed input, naming the line and column.
    public mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        samplesOnly = false
        return try reading { (parser, buffer) throws(ExpositionError) -> ExpositionEntry? in
            while var lexer = try parser.nextLine(buffer) {
                if lexer.current == .hash {
                    if let entry = try parser.parseComment(&lexer) { return entry }
                    continue
                }
                let sample = try parser.parseSample(&lexer)
                return .sample(labels: sample.labels, value: sample.value, timestamp: sample.timestamp)
            }
            return nil
        }
    }

    /// The next sample, nil at the end of the payload: what the scrape loop reads. HELP, TYPE and
    /// UNIT lines are checked as by `next()` (and OpenMetrics' family rules applied) but skipped,
    /// without making `String`s of them; a sample is a plain struct, cheaper to pass and drop than
    /// an `ExpositionEntry`. Call either this or `next()` for a payload, not both.
    /// - Throws: `ExpositionError` for malformed input, naming the line and column.
    public mutating func nextSample() throws(ExpositionError) -> ExpositionSample? {
        samplesOnly = true
        return try reading { (parser, buffer) throws(ExpositionError) -> ExpositionSample? in
            while var lexer = try parser.nextLine(buffer) {
                if lexer.current == .hash {
                    _ = try parser.parseComment(&lexer)
                    continue
                }
                return try parser.parseSample(&lexer)
            }
            return nil
        }
    }

    /// Runs `read` over the payload's bytes. After an error the parser is finished: this and every
    /// later call throw that error.
    @inline(__always)
    private mutating func reading<Result>(
        _ read: (inout ExpositionParser, UnsafeBufferPointer<UInt8>) throws(ExpositionError) -> Result
    ) throws(ExpositionError) -> Result {
        if let failure { throw failure }
        // The bytes are read in place, through a pointer taken outside `withUnsafeBufferPointer`:
        // `bytes` is a `let` of a native array that no `read` replaces (they never assign the
        // whole parser), so its storage stays alive and where it is for the call. Borrowing the
        // array inside the closure instead would overlap the `inout` access to `self`, and a copy
        // to borrow costs a retain and a release per sample.
        let buffer = bytes.withUnsafeBufferPointer { $0 }
        do {
            return try read(&self, buffer)
        } catch {
            failure = error
            throw error
        }
    }

    /// The next line that holds something (blank lines of the text format skipped), with the
    /// cursor on its first non-blank byte; nil at the end of the payload.
    @inline(__always)   // once per line
    private mutating func nextLine(_ buffer: UnsafeBufferPointer<UInt8>) throws(ExpositionError) -> Lexer? {
        while offset < buffer.count {
            if sawEOF { throw ExpositionError(line: lineNumber + 1, column: 1, message: "unexpected content after # EOF") }
            let lineStart = offset
            let newline = ExpositionParser.findNewline(buffer, from: lineStart)
            offset = newline + 1
            lineNumber += 1
            var end = newline
            if end > lineStart, buffer[end - 1] == .carriageReturn { end -= 1 }
            var lexer = Lexer(bytes: buffer, lineStart: lineStart, end: end)
            guard let first = lexer.current else {
                if format == .openMetrics { throw error(lexer, "blank lines are not allowed in OpenMetrics") }
                continue
            }
            if first == .space || first == .tab {
                if format == .openMetrics { throw error(lexer, "unexpected whitespace at start of line") }
                lexer.skipBlanks()
                if lexer.atEnd { continue }
            }
            return lexer
        }
        if format == .openMetrics, !sawEOF {
            sawEOF = true
            throw ExpositionError(line: lineNumber + 1, column: 1, message: "missing # EOF at end of OpenMetrics payload")
        }
        if !finished {
            finished = true
            cache.finishPayload()
        }
        return nil
    }

    func error(_ lexer: Lexer, _ message: String) -> ExpositionError {
        ExpositionError(line: lineNumber, column: lexer.column, message: message)
    }

    /// The index of the next `\n` at or after `start`, or the buffer's end (libc's vectorised `memchr`).
    static func findNewline(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < buffer.count, let base = buffer.baseAddress else { return buffer.count }
        guard let found = memchr(base + start, Int32(UInt8.newline), buffer.count - start) else { return buffer.count }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}
