"""Shared helpers for end-to-end tests: they run the real `lookout` binary against real loopback
servers, a real unix datagram NOTIFY_SOCKET and real signals."""
import datetime
import os
import pathlib
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def lookout_bin() -> str:
    path = os.environ.get("LOOKOUT_BIN")
    if not path:
        out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, capture_output=True, text=True, check=True)
        path = os.path.join(out.stdout.strip(), "lookout")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=10.0, interval=0.02, what="condition"):
    """Polls `condition` until it returns a truthy value; fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class NotifySocket:
    """A unix datagram socket standing in for systemd's NOTIFY_SOCKET."""

    def __init__(self, directory: str):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.setblocking(False)
        self.messages: list[str] = []

    def drain(self):
        while True:
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except BlockingIOError:
                return self.messages

    def wait_for(self, prefix: str, after: int = 0, timeout: float = 15.0) -> int:
        """Waits for a message starting with `prefix` at index >= `after`; returns its index."""
        def found():
            msgs = self.drain()
            for i in range(after, len(msgs)):
                if msgs[i].startswith(prefix):
                    return i + 1
            return None
        return wait_for(found, timeout, what=f"sd_notify {prefix!r} (got {self.messages[after:]})") - 1

    def close(self):
        self.sock.close()


class Daemon:
    """One `lookout run` child process with its own config, data dir and notify socket."""

    def __init__(self, workdir: pathlib.Path, config_text: str, env: dict | None = None, watchdog_usec: int | None = None,
                 args: tuple = ()):
        self.args = list(args)   # extra `lookout run` arguments, e.g. ("--log-level", "trace")
        self.workdir = workdir
        self.config = workdir / "lookout.yml"
        self.config.write_text(config_text)
        self.data_dir = workdir / "data"
        self.notify = NotifySocket(str(workdir))
        self.stderr_path = workdir / "stderr.log"
        environment = dict(os.environ)
        environment.update(env or {})
        environment["NOTIFY_SOCKET"] = self.notify.path
        if watchdog_usec:
            environment["WATCHDOG_USEC"] = str(watchdog_usec)
        self.env = environment
        self.proc = None

    def start(self, wait_ready=True):
        seen = len(self.notify.drain())  # a restart must wait for its own READY, not an old one
        if getattr(self, "_stderr", None):
            self._stderr.close()
        self._stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(
            [lookout_bin(), "run", "--config", str(self.config), "--data-dir", str(self.data_dir), *self.args],
            env=self.env, stdout=subprocess.DEVNULL, stderr=self._stderr, cwd=self.workdir)
        if wait_ready:
            self.notify.wait_for("READY=1", after=seen)
        return self

    def log(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=10.0) -> int:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        return self.proc.returncode

    def kill9(self):
        self.proc.kill()
        self.proc.wait()

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.notify.close()
        if getattr(self, "_stderr", None):
            self._stderr.close()


@pytest.fixture
def workdir():
    with tempfile.TemporaryDirectory(prefix="lookout-e2e-") as d:
        yield pathlib.Path(d)


@pytest.fixture
def daemon_factory(workdir):
    made = []

    def make(config_text, **kw):
        d = Daemon(workdir, config_text, **kw)
        made.append(d)
        return d
    yield make
    for d in made:
        d.close()


def run_cli(*args, env=None, cwd=None, timeout=60):
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run([lookout_bin(), *args], capture_output=True, text=True, env=environment,
                          cwd=cwd or REPO, timeout=timeout)


@pytest.fixture
def hook():
    """A recording webhook receiver on loopback (see receivers.Receiver)."""
    from receivers import Receiver
    r = Receiver()
    yield r
    r.close()


def iso(ts: str) -> float:
    """Unix seconds of an RFC 3339 time as Lookout and Alertmanager write it."""
    return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def metric(port, name, labels=""):
    """The value of Lookout's own series `name` + `labels` (as written, e.g. '{url="..."}') on
    its /metrics, or None when it is not there."""
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    m = re.search(rf"^{re.escape(name)}{re.escape(labels)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else None
