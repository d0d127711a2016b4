import CCurl
import Glibc
import Synchronization

/// The one thread that drives all network I/O: a libcurl multi handle polled on a dedicated
/// pthread. Requests from any task are queued to it and resumed from it when they finish.
///
/// Create one per process and share it; `shutdown()` (or releasing the last reference) stops
/// the thread and fails transfers still in flight.
public final class CurlLoop: Sendable {
    private let core: LoopCore

    /// Starts the loop thread. Throws if libcurl cannot create a multi handle or the thread cannot start.
    public init() throws(CurlError) {
        CurlGlobal.ensureInitialised()
        core = try LoopCore()
        try core.start()
    }

    deinit { core.stop() }

    /// Stops the loop; transfers still running fail with `CurlError.Kind.cancelled`.
    public func shutdown() { core.stop() }

    /// Runs one configured transfer and returns its curl result code once it has finished.
    /// Cancelling the calling task removes the transfer and throws `CancellationError`.
    func run(_ transfer: Transfer) async throws -> CURLcode {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CURLcode, any Error>) in
                transfer.continuation = continuation
                core.submit(.add(transfer))
            }
        } onCancel: {
            core.submit(.cancel(transfer))
        }
    }
}

/// Process-wide libcurl set-up, done exactly once (PLATFORM.md §1).
enum CurlGlobal {
    private static let initialised: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func ensureInitialised() { _ = initialised }
}

/// A raw libcurl multi handle. Only the loop thread calls into it, except `curl_multi_wakeup`,
/// which libcurl documents as callable from any thread.
struct MultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// State shared between submitting tasks and the loop thread; everything here is Sendable.
final class LoopCore: Sendable {
    enum Command: Sendable {
        case add(Transfer)
        case cancel(Transfer)
    }

    private let multi: MultiHandle
    private let inbox = Mutex<[Command]>([])
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let thread = Mutex<pthread_t?>(nil)

    init() throws(CurlError) {
        guard let m = curl_multi_init() else {
            throw CurlError(kind: .other, code: -1, message: "curl_multi_init failed")
        }
        multi = MultiHandle(raw: m)
        // libcurl keeps 4 idle connections per easy handle currently added: with a dozen
        // transfers in flight, 200 scrape targets would each open a new TCP connection every
        // scrape. Keep one per target (and never more than half the file descriptors allowed).
        _ = lk_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, LoopCore.idleConnectionLimit())
    }

    /// How many idle connections the pool keeps: 1024, or half the process's soft descriptor
    /// limit when that is lower (SQLite files, listeners and transfers in flight need the rest).
    static func idleConnectionLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return max(16, Int(min(1024, limit.rlim_cur / 2)))
    }

    func start() throws(CurlError) {
        var tid = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&tid, nil, { raw in
            guard let raw else { return nil }
            let core = Unmanaged<LoopCore>.fromOpaque(raw).takeRetainedValue()
            core.runLoop()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<LoopCore>.fromOpaque(context).release()
            throw CurlError(kind: .other, code: -1, message: "pthread_create failed: \(rc)")
        }
        thread.withLock { $0 = tid }
    }

    func submit(_ command: Command) {
        inbox.withLock { $0.append(command) }
        if finished.load(ordering: .sequentiallyConsistent) {
            // The loop has exited: nobody will drain the inbox, so fail the transfer here.
            drainAfterStop()
            return
        }
        curl_multi_wakeup(multi.raw)
    }

    /// Asks the loop to exit and waits for it, unless called from the loop thread itself.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        curl_multi_wakeup(multi.raw)
        guard let tid = thread.withLock({ $0 }) else { return }
        if pthread_equal(tid, pthread_self()) == 0 {
            pthread_join(tid, nil)
        } else {
            pthread_detach(tid)
        }
    }

    private func runLoop() {
        var loop = LoopThreadState(multi: multi.raw)
        while !stopping.load(ordering: .acquiring) {
            let commands = inbox.withLock { pending -> [Command] in
                defer { pending.removeAll(keepingCapacity: true) }
                return pending
            }
            for command in commands { loop.handle(command) }
            loop.performAndCollect()
            var ready: Int32 = 0
            curl_multi_poll(multi.raw, nil, 0, 1000, &ready)
        }
        loop.failAll()
        finished.store(true, ordering: .sequentiallyConsistent)
        drainAfterStop()
        curl_multi_cleanup(multi.raw)
    }

    private func drainAfterStop() {
        let commands = inbox.withLock { pending -> [Command] in
            defer { pending.removeAll() }
            return pending
        }
        for case .add(let transfer) in commands {
            transfer.resume(throwing: CurlError(kind: .cancelled, code: -1, message: "curl loop stopped"))
        }
    }
}
