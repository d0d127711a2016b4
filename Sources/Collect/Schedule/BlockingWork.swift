import Glibc

/// Runs blocking work (SQLite queries, `statvfs` on a mount that may hang) on a short-lived
/// thread of its own, so it never occupies one of the cooperative pool's threads, of which
/// there are only as many as cores.
enum BlockingWork {
    /// The closure for the new thread, handed over through an `Unmanaged` pointer.
    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let job = Job { continuation.resume(returning: work()) }
            let context = Unmanaged.passRetained(job).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<Job>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            }, context)
            if rc == 0 {
                pthread_detach(thread)
            } else {
                Unmanaged<Job>.fromOpaque(context).takeRetainedValue().body()  // no thread: run here, never hang
            }
        }
    }
}
