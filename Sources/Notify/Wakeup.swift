import Synchronization

/// Wakes one waiting task early: signals are remembered until consumed, so none is lost between
/// checking for work and starting to wait. Used by the notifier's loop; safe from any thread.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after a signal, after `milliseconds`, or when the task is cancelled.
    func wait(milliseconds: Int64) async {
        if state.withLock({ s in defer { s.pending = false }; return s.pending }) { return }
        let timer = Task { [self] in
            try? await Task.sleep(for: .milliseconds(max(0, milliseconds)))
            if !Task.isCancelled { signal() }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.pending || Task.isCancelled {
                        s.pending = false
                        return true
                    }
                    s.waiter = c
                    return false
                }
                if now { c.resume() }
            }
        } onCancel: {
            signal()
        }
        timer.cancel()
    }
}
