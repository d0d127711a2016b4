#if canImport(Glibc)
import Glibc
#endif
import Model
import SQLite

/// A pthread mutex. `Synchronization.Mutex` wants `sending` values, which a non-Sendable
/// `Connection` cannot be; these slots keep each connection behind a lock of its own instead.
final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Runs `body` only if the lock is free; nil otherwise.
    func withLockIfAvailable<T>(_ body: () throws -> T) rethrows -> T? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// The writer connection and the state only the writer touches. Unchecked Sendable because
/// both are used only while `lock` is held.
final class WriterSlot: @unchecked Sendable {
    private let lock = Lock()
    private let connection: Connection
    private var state = WriterState()

    init(_ connection: Connection) { self.connection = connection }

    func withLock<T>(_ body: (inout WriterState, Connection) throws -> T) rethrows -> T {
        try lock.withLock { try body(&state, connection) }
    }
}

/// One pooled reader connection, used only while `lock` is held.
final class ReaderSlot: @unchecked Sendable {
    private let lock = Lock()
    private let connection: Connection

    init(_ connection: Connection) { self.connection = connection }

    func withLock<T>(_ body: (Connection) throws -> T) rethrows -> T {
        try lock.withLock { try body(connection) }
    }

    func withLockIfAvailable<T>(_ body: (Connection) throws -> T) rethrows -> T? {
        try lock.withLockIfAvailable { try body(connection) }
    }
}

/// What only the writer touches.
struct WriterState {
    /// Label set → id, sharing the label storage of the index.
    var ids: [SeriesKey: UInt32] = [:]
    /// The same by `Labels` instance, checked first (see `LabelIdentityMemo`).
    var memo = LabelIdentityMemo()
    /// Ids of whole series lists by identity, checked before either (see `SeriesListMemo`).
    var lists = SeriesListMemo()
    var nextID: UInt32 = 1
    /// Whether a new series found the id space used up (logged once).
    var idsExhausted = false
}
