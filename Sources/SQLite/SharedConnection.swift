#if canImport(Glibc)
import Glibc
#endif

/// A connection usable from any thread or task: every use runs under a lock.
///
/// `Connection` itself is not `Sendable` (it runs in SQLite's multi-thread mode and caches
/// statements), and `Synchronization.Mutex` cannot hold it without `sending` gymnastics; this
/// wrapper is the small, checked-by-construction alternative. Calls block the calling thread for
/// the duration of the SQL work, so keep the bodies short and off hot async paths.
public final class SharedConnection: @unchecked Sendable {
    // Safe because `connection` is only touched inside `withConnection`, under `mutex`.
    private let connection: Connection
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    /// Takes ownership of `connection`; do not use it directly afterwards.
    public init(_ connection: sending Connection) {
        self.connection = connection
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive use of the connection. Do not let the connection or its
    /// statements escape `body`.
    public func withConnection<T>(_ body: (Connection) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(connection)
    }
}
