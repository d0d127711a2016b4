import Model
import SQLite
import Synchronization

/// The SQLite time-series store: conforms to `SeriesAppender` and `SeriesQuerier`.
///
/// Each `append` is one transaction writing one head row (the batch's series ids and value bits,
/// its timestamp once). `compact(now:)` moves complete blocks of the head into per-series
/// compressed chunks; `applyRetention(now:)` deletes old chunks in small transactions, then the
/// series left without any sample (`pruneSeries()`; their ids are never reused). Queries
/// merge chunks and head (and batches held in memory while the disk fails) transparently; for a
/// duplicate timestamp the last write wins.
///
/// Thread-safe: one writer connection behind a lock, a small pool of reader connections (WAL lets
/// them read while the writer writes). Calls block the calling thread on SQLite I/O.
public final class TSDB: SeriesAppender, SeriesQuerier, Sendable {
    /// How the store behaves.
    public struct Options: Sendable {
        /// Samples older than `now - retention` (milliseconds) are deleted by `applyRetention`. Default 30 days.
        public var retention: Int64 = 30 * 86_400_000
        /// Length of a chunk's time block in ms, fixed when the file is created. Default 30 minutes
        /// (120 samples at a 15 s interval).
        public var blockDuration: Int64 = 1_800_000
        /// Once this many consecutive blocks are complete, their chunks are merged into one chunk per
        /// series (fewer rows, better compression; 4 × 30 min = 2 h). Fixed when the file is created.
        public var blocksPerChunk: Int64 = 4
        /// How often `run()` compacts and applies retention.
        public var housekeepingInterval: Duration = .seconds(60)
        /// Open without writing (for the CLI while the daemon runs): `append` and housekeeping throw.
        public var readOnly = false
        /// `PRAGMA synchronous` of the writer: NORMAL survives kill -9; FULL also survives power loss.
        public var synchronous = "NORMAL"
        /// Reader connections for queries.
        public var readers = 2
        /// SQLite page cache per connection, in KiB.
        public var cacheSizeKiB = 16_384
        /// Samples kept in memory while the database cannot be written; beyond this the oldest batches are dropped.
        public var maxPendingSamples = 2_000_000
        /// Receives one line when the store changes state (write failures, recovery, drops); wire it to the logger.
        public var log: @Sendable (String) -> Void = { _ in }
        /// Receives informational lines (series pruned by retention); wire it to the logger at info.
        public var info: @Sendable (String) -> Void = { _ in }
        /// Series ids go into the low 32 bits of chunk keys and are never reused: this id is
        /// never handed out (tests lower it).
        var seriesIDLimit: UInt32 = .max

        /// The defaults: 30 d retention, 30 min blocks, NORMAL sync, 2 readers.
        public init() {}
    }

    let path: String
    let options: Options
    let blockDuration: Int64
    /// Blocks merged into one chunk once complete (see `Options.blocksPerChunk`).
    let span: Int64
    /// Groups of blocks before this block are merged; the writer's bookkeeping (nil: nothing merged yet).
    let mergedUntil = Mutex<Int64?>(nil)
    let writer: WriterSlot?
    let readers: [ReaderSlot]
    let index = Mutex(SeriesIndex())
    /// Decoded head samples for queries; see `HeadCache`.
    let headCache = Mutex(HeadCache())
    /// Decoded chunks for queries; see `ChunkCache`.
    let chunkCache = Mutex(ChunkCache())
    let status = Mutex(StatusCounters())
    /// Whether the next retention pass prunes series even if it deletes nothing (set at open and
    /// after a failed prune, so series left without samples earlier are found).
    let pruneDue = Mutex(true)
    let held = Mutex(HeldBatches())
    let housekeeping = Mutex(())

    /// Opens (creating if needed, unless read-only) the store at `path`, migrates its schema and
    /// loads the series index. Throws `SQLiteError` naming the file and the reason
    /// (cannot open, not a database, read-only file system, schema newer than this program).
    public static func open(path: String, options: Options = Options()) throws -> TSDB {
        try TSDB(path: path, options: options)
    }

    /// Opens `<dataDir>/lookout.db`.
    public static func open(dataDir: String, options: Options = Options()) throws -> TSDB {
        try TSDB(path: StorageDatabase.path(dataDir: dataDir), options: options)
    }

    private init(path: String, options: Options) throws {
        self.path = path
        self.options = options
        let connection: Connection
        if options.readOnly {
            connection = try StorageDatabase.open(path: path, readOnly: true)
            let version = try Schema.migrator.currentVersion(connection)
            guard version > 0 else { throw SQLiteError(code: 1, message: "\(path) holds no time series (tsdb schema missing)") }
        } else {
            connection = try StorageDatabase.open(path: path, synchronous: options.synchronous)
            try connection.execute("PRAGMA cache_size=-\(options.cacheSizeKiB)")
            try Schema.migrator.migrate(connection)
        }
        blockDuration = try Schema.setting(connection, "block_ms", proposed: options.blockDuration)
        span = try Schema.setting(connection, "blocks_per_chunk", proposed: options.blocksPerChunk)
        guard blockDuration > 0, span > 0 else {
            throw SQLiteError(code: 1, message: "\(path): invalid layout (block \(blockDuration) ms, \(span) blocks per chunk)")
        }
        if options.readOnly {
            connection.close()
            writer = nil
        } else {
            let merged = try Schema.storedSetting(connection, "merged_until")
            mergedUntil.withLock { $0 = merged }
            writer = WriterSlot(connection)
        }
        readers = try (0..<max(1, options.readers)).map { _ in
            ReaderSlot(try Connection(path: path, options: TSDB.readerOptions(readOnly: options.readOnly, cacheSizeKiB: options.cacheSizeKiB)))
        }
        try readers[0].withLock { connection in
            try refreshIndex(connection)
        }
        // Ids of pruned series are never handed out again, even the highest ones.
        let highWater = try readers[0].withLock { try Schema.storedSetting($0, "series_high_water") } ?? 0
        let (ids, maxID) = index.withLock { index in
            var ids: [SeriesKey: UInt32] = [:]
            ids.reserveCapacity(index.count)
            index.forEach { id, labels in ids[SeriesKey(labels)] = id }
            return (ids, max(index.maxID, UInt32(clamping: highWater)))
        }
        writer?.withLock { state, _ in
            state.ids = ids
            state.nextID = maxID + 1
        }
    }

    static func readerOptions(readOnly: Bool, cacheSizeKiB: Int) -> Connection.Options {
        var options = Connection.Options()
        options.cacheSizeKiB = cacheSizeKiB
        options.create = false
        options.journalMode = nil
        options.synchronous = nil
        options.readOnly = readOnly
        options.pragmas = readOnly ? [] : ["query_only=1"]
        return options
    }

    /// Closes every connection; later calls throw. The writer's WAL is checkpointed first.
    public func close() {
        writer?.withLock { _, connection in
            try? connection.checkpoint(.passive)
            connection.close()
        }
        for reader in readers { reader.withLock { $0.close() } }
    }

    /// Loads series created since the last refresh (by this process's writer or another process)
    /// and forgets those another process pruned since (`series_prunes` counts prunes).
    func refreshIndex(_ connection: Connection) throws {
        let (known, generation) = index.withLock { ($0.maxID, $0.pruneGeneration) }
        // Read after `known`, starting the snapshot: every id up to `known` is committed in it unless pruned.
        let prunes = try Schema.storedSetting(connection, "series_prunes") ?? 0
        if prunes > generation {
            var present = Set<UInt32>()
            if known > 0 {
                try connection.forEach("SELECT id FROM series WHERE id <= ?", [.integer(Int64(known))]) { row in
                    present.insert(UInt32(truncatingIfNeeded: row.int64(at: 0)))
                }
            }
            index.withLock { index in
                // A slower reader's older snapshot must not undo a newer one.
                guard prunes > index.pruneGeneration else { return }
                index.retain(present, through: known)
                index.pruneGeneration = prunes
            }
        }
        var added: [(UInt32, Labels)] = []
        try connection.forEach("SELECT id, labels FROM series WHERE id > ? ORDER BY id", [.integer(Int64(known))]) { row in
            let labels = try row.withBlob(at: 1) { try LabelCodec.decode($0) }
            added.append((UInt32(truncatingIfNeeded: row.int64(at: 0)), labels))
        }
        if added.isEmpty { return }
        index.withLock { index in
            for (id, labels) in added { index.add(id, labels) }
        }
    }

    /// Runs `body` on a free reader connection (or waits for the first).
    func withReader<T>(_ body: (Connection) throws -> T) throws -> T {
        for reader in readers {
            if let result = try reader.withLockIfAvailable(body) { return result }
        }
        return try readers[0].withLock(body)
    }

    /// The first block of the group holding `block`.
    func groupStart(_ block: Int64) -> Int64 {
        let (quotient, remainder) = block.quotientAndRemainder(dividingBy: span)
        return (remainder < 0 ? quotient - 1 : quotient) * span
    }

    func block(of timestamp: Timestamp) -> Int64 {
        let (quotient, remainder) = timestamp.quotientAndRemainder(dividingBy: blockDuration)
        return remainder < 0 ? quotient - 1 : quotient
    }
}

/// Batches accepted while the database could not be written, oldest first. Separate from the
/// writer lock so queries can include them without waiting for a write.
struct HeldBatches {
    var batches: [[LabeledSample]] = []
    var samples = 0
}

/// Counters behind `stats()`.
struct StatusCounters {
    var lastError: String?
    var degradedSince: Timestamp?
    var droppedSamples = 0
    var appendedSamples = 0
    var appendedBatches = 0
    var prunedSeries = 0
}
