import Synchronization

/// Runs work with a time limit, answering when the limit passes even if the work cannot be
/// interrupted at once (the PromQL engine evaluates synchronously). The work's task is then
/// cancelled, which the engine checks between steps; its result, if any, is dropped. The work
/// runs on `executor` (time spent waiting for one of its threads counts against the limit).
enum Deadline {
    static func run<T: Sendable>(_ timeout: Duration, on executor: QueryThreads,
                                 _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let once = Once(continuation)
            let worker = Worker()
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled {
                    once.resume(with: .failure(APIError(.timeout, "query timed out in expression evaluation")))
                    worker.cancel()
                }
            }
            let task = Task.detached(executorPreference: executor) {
                let result = await Result { try await work() }
                timer.cancel()
                once.resume(with: result)
            }
            worker.set(task)
        }
    }

    /// The work's task, to cancel on timeout (even if the timeout fires before it is known).
    private final class Worker: Sendable {
        private let state = Mutex<(task: Task<Void, Never>?, cancelled: Bool)>((nil, false))

        func set(_ task: Task<Void, Never>) {
            let cancelled = state.withLock { state in
                state.task = task
                return state.cancelled
            }
            if cancelled { task.cancel() }
        }

        func cancel() {
            state.withLock { state in
                state.cancelled = true
                return state.task
            }?.cancel()
        }
    }

    /// Resumes a continuation at most once, whichever side comes first.
    private final class Once<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<T, any Error>?>

        init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

        func resume(with result: Result<T, any Error>) {
            continuation.withLock { pending in
                pending?.resume(with: result)
                pending = nil
            }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
