import Foundation

/// Sends SIGKILL to `process` and returns once it has exited.
///
/// The wait asks the kernel (`waitid` with `WNOWAIT`, which leaves the child for Foundation to
/// reap) instead of calling `Process.waitUntilExit`. That call spins a run loop until Foundation's
/// monitor has seen the exit. Called from async tests and from `deinit`, it often runs on a
/// cooperative-pool thread: in CI, two such spinning waits took both threads of a 2-core pool and
/// the monitor never ran.
public func killAndWait(_ process: Process) {
    let pid = process.processIdentifier
    kill(pid, SIGKILL)
    var info = siginfo_t()
    // ECHILD: Foundation reaped it already. EINTR: a signal arrived; ask again.
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
}
