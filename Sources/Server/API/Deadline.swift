import Synchronization

/// Runs work with a time limit, answering when the limit passes even if the work cannot be
/// interrupted (the PromQL engine evaluates synchronously). The work is cancelled and left to
/// finish in the background; its result is then dropped.
enum Deadline {
    static func run<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let once = Once(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled {
                    once.resume(with: .failure(APIError(.timeout, "query timed out in expression evaluation")))
                }
            }
            Task.detached {
                let result = await Result { try await work() }
                timer.cancel()
                once.resume(with: result)
            }
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
