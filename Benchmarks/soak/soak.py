#!/usr/bin/env python3
"""Soak run: one `lookout run` (release build) on a busy but bounded config against local fakes,
for `--duration` seconds, sampling the daemon every `--every` seconds.

  python3 Benchmarks/soak/soak.py --lookout .build/release/lookout --duration 900 --kill-at 420

Workload: `--targets` fake_target.py targets (`--series` each, half at 1 s, half at 2 s), a pool
of 20% more ports rotated by the reloads; `--checks` HTTP checks (60% healthy, 10% each flapping,
500, slow, hanging), HTTPS and TCP checks; an `sql` source on an SQLite file another thread
writes; alerts that fire and resolve every few seconds; Slack, PagerDuty and webhook receivers
cycling up / 503 / refused; a SIGHUP reload every `--reload-every` s that rotates targets and
checks; `--retention`. `--kill-at T` kill -9s the daemon at T s (receivers held down so the queue
is not empty), checks `PRAGMA integrity_check`, that queued notifications and firing alerts are
still stored, restarts it. `--data-dir` puts the store elsewhere (a small tmpfs to fill the disk).

Prints one JSON line per sample (t, rss_kb, fds, threads, cpu_s, cpu_pct, db/wal/shm bytes,
table rows, log bytes) and a summary with per-hour trends from a least-squares fit.
"""
import argparse
import json
import os
import pathlib
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import fakes  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
FAKE_TARGET = REPO.parent / "shared" / "bench" / "fake_target.py"
TABLES = ["outbox", "alert_state", "series", "label_index", "head", "chunks", "check_status", "notification_log", "silences"]


def config(args, g, ports, servers, https, receivers, appdb, listen):
    pool = len(ports)
    chosen = [ports[(g * 5 + i) % pool] for i in range(args.targets)]
    fast, slow = chosen[: len(chosen) // 2], chosen[len(chosen) // 2:]
    lines = [
        "global:",
        "  scrape_interval: 2s",
        "  evaluation_interval: 1s",
        f"  retention: {args.retention}",
        f"  listen: 127.0.0.1:{listen}",
        "scrape:",
        f"  - {{job: fast, interval: 1s, timeout: 1s, targets: [{', '.join(f'127.0.0.1:{p}' for p in fast)}]}}",
        f"  - {{job: slow, interval: 2s, timeout: 2s, targets: [{', '.join(f'127.0.0.1:{p}' for p in slow)}]}}",
        "checks:",
    ]
    kinds = ["ok"] * 6 + ["flap", "err", "slow", "hang"]
    for i in range(args.checks):
        kind = kinds[i % 10]
        server = servers[i % len(servers)]
        path = {"ok": "/ok", "err": "/500", "slow": "/slow", "hang": "/hang", "flap": f"/flap/{(10, 20, 30)[i % 3]}"}[kind]
        interval = "1s" if i % 2 else "2s"
        lines.append(f"  - {{name: {kind}-{i:03d}, http: 'http://127.0.0.1:{server.port}{path}', interval: {interval}, timeout: 1s}}")
    for i in range(10):  # rotated by each reload over a bounded set of 15 names
        lines.append(f"  - {{name: rot-{(g + i) % 15:02d}, http: 'http://127.0.0.1:{servers[0].port}/ok', interval: 2s, timeout: 1s}}")
    lines += [
        f"  - {{name: tls-ok, http: 'https://127.0.0.1:{https.port}/ok', interval: 2s, timeout: 2s, insecure_skip_verify: true}}",
        f"  - {{name: tls-flap, http: 'https://127.0.0.1:{https.port}/flap/20', interval: 2s, timeout: 2s, insecure_skip_verify: true}}",
        f"  - {{name: tls-untrusted, http: 'https://127.0.0.1:{https.port}/ok', interval: 5s, timeout: 2s}}",
        f"  - {{name: tcp-open, tcp: '127.0.0.1:{servers[0].port}', interval: 2s, timeout: 1s}}",
        f"  - {{name: tcp-closed, tcp: '127.0.0.1:{fakes.free_port()}', interval: 2s, timeout: 1s}}",
        f"  - {{name: tcp-tls, tcp: '127.0.0.1:{https.port}', interval: 2s, timeout: 1s}}",
        "sql:",
        f"  - {{name: soak_calls, database: '{appdb}', interval: 1s, query: 'SELECT model, COUNT(*) AS value FROM calls GROUP BY model'}}",
        "alerts:",
        "  - {name: FlapDown, expr: 'probe_success{check=~\"flap.*|tls-flap\"} == 0', severity: critical}",
        "  - {name: AlwaysFailing, expr: 'probe_success{check=~\"err.*|hang.*\"} == 0', for: 5s, severity: warning}",
        "  - {name: SqlOdd, expr: 'soak_calls{model=\"a\"} % 2 == 1', severity: info}",
        "  - {name: SqlDown, expr: 'sql_up == 0', severity: warning}",
        "  - {name: TargetDown, expr: 'up == 0', for: 2s, severity: warning}",
        "notify:",
        "  channels:",
        f"    slack: {{slack: {{webhook_url: 'http://127.0.0.1:{receivers[0].port}/services/T/B/X'}}}}",
        f"    pager: {{pagerduty: {{routing_key: 0123456789abcdef0123456789abcdef, url: 'http://127.0.0.1:{receivers[1].port}/v2/enqueue'}}}}",
        f"    hook: {{webhook: {{url: 'http://127.0.0.1:{receivers[2].port}/alerts'}}}}",
        "  routes:",
        "    - {match: {severity: critical}, channels: [pager, slack]}",
        "    - {match: {severity: warning}, channels: [slack]}",
        "  default_channels: [hook]",
        "  group_by: [alertname, check]",
        "  group_wait: 1s",
        "  group_interval: 5s",
        "  repeat_interval: 1m",
        "  max_age: 10m",
    ]
    return "\n".join(lines) + "\n"


def rows(db):
    out = {}
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
        for table in TABLES:
            try:
                out[table] = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            except sqlite3.Error:
                pass
        con.close()
    except sqlite3.Error as error:
        out["error"] = str(error)
    return out


def proc_sample(pid):
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"rss_kb": int(fields["VmRSS"].split()[0]), "threads": int(fields["Threads"]),
            "fds": len(os.listdir(f"/proc/{pid}/fd")), "cpu_s": (int(stat[11]) + int(stat[12])) / ticks}


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def ready(listen, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{listen}/-/ready", timeout=1) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def snapshot(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    outbox = {r[0] for r in con.execute("SELECT id FROM outbox")}
    firing = {(r[0], r[1]) for r in con.execute("SELECT rule_key, labels FROM alert_state WHERE state = 'firing'")}
    con.close()
    return outbox, firing


def integrity(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def fill(path, limit=4 << 30):
    """Writes zeros to `path` until its file system is full (at most `limit` bytes); returns the size."""
    written = 0
    block = b"\0" * (1 << 20)
    with open(path, "wb", buffering=0) as f:
        try:
            while written < limit:
                written += f.write(block)
        except OSError:
            pass
    return os.path.getsize(path)


def trend(samples, key):
    """Least-squares slope of `key` over time, per hour."""
    pts = [(s["t"], s[key]) for s in samples if key in s]
    if len(pts) < 3:
        return None
    n = len(pts)
    mt = sum(t for t, _ in pts) / n
    mv = sum(v for _, v in pts) / n
    den = sum((t - mt) ** 2 for t, _ in pts) or 1
    return sum((t - mt) * (v - mv) for t, v in pts) / den * 3600


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lookout", default=str(REPO / ".build" / "release" / "lookout"))
    p.add_argument("--duration", type=float, required=True, help="seconds (bounded)")
    p.add_argument("--every", type=float, default=10)
    p.add_argument("--targets", type=int, default=50)
    p.add_argument("--series", type=int, default=200)
    p.add_argument("--checks", type=int, default=200)
    p.add_argument("--retention", default="1h")
    p.add_argument("--reload-every", type=float, default=60)
    p.add_argument("--kill-at", type=float, default=None)
    p.add_argument("--data-dir", default=None)
    p.add_argument("--fill-disk-at", type=float, default=None, help="fill the data dir's file system at T s")
    p.add_argument("--free-disk-at", type=float, default=None, help="remove that ballast at T s")
    p.add_argument("--workdir", default=None)
    p.add_argument("--out", default=None, help="also write the JSON lines here")
    args = p.parse_args()
    assert 0 < args.duration <= 6 * 3600, "--duration must be bounded (at most 6 h)"
    args.lookout = os.path.abspath(args.lookout)

    work = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix="lookout-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    data = pathlib.Path(args.data_dir or work / "data")
    db = data / "lookout.db"
    stop = threading.Event()
    out = open(args.out, "w") if args.out else None

    def emit(obj):
        line = json.dumps(obj)
        print(line, flush=True)
        if out:
            out.write(line + "\n")
            out.flush()

    pool = [fakes.free_port() for _ in range(args.targets + args.targets // 5)]
    target_proc = subprocess.Popen([sys.executable, str(FAKE_TARGET), "--ports", ",".join(map(str, pool)),
                                    "--series", str(args.series)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fakes.make_cert(str(work))
    servers = [fakes.CheckServer(stop) for _ in range(4)]
    https = fakes.CheckServer(stop, certdir=str(work))
    receivers = [fakes.FlakyReceiver(stop, period=40) for _ in range(3)]
    appdb = fakes.AppDatabase(str(work / "app.db"), stop)
    listen = fakes.free_port()
    cfg = work / "lookout.yml"
    generation = 0
    cfg.write_text(config(args, generation, pool, servers, https, receivers, appdb.path, listen))
    log_path = work / "lookout.log"
    log = open(log_path, "ab")

    def start():
        proc = subprocess.Popen([args.lookout, "run", "--config", str(cfg), "--data-dir", str(data)],
                                stdout=subprocess.DEVNULL, stderr=log, cwd=work)
        if not ready(listen):
            raise SystemExit(f"lookout did not become ready; see {log_path}")
        return proc

    emit({"workdir": str(work), "data_dir": str(data), "targets": args.targets, "series": args.series, "checks": args.checks})
    proc = start()
    t0 = time.monotonic()
    samples, events = [], []
    next_sample, next_reload = 0.0, args.reload_every
    last_cpu, last_t = None, None
    killed = args.kill_at is None
    try:
        while (now := time.monotonic() - t0) < args.duration:
            if proc.poll() is not None:
                events.append({"t": round(now, 1), "event": "exited", "code": proc.returncode})
                emit(events[-1])
                break
            if now >= next_reload:
                generation += 1
                cfg.write_text(config(args, generation, pool, servers, https, receivers, appdb.path, listen))
                proc.send_signal(signal.SIGHUP)
                next_reload += args.reload_every
            if not killed and now >= args.kill_at:
                killed = True
                for r in receivers:
                    r.force = "down"
                time.sleep(15)  # let the queue fill while every receiver refuses
                before_outbox, before_firing = snapshot(db)
                proc.kill()
                proc.wait()
                check = integrity(db)
                after_outbox, after_firing = snapshot(db)
                event = {"t": round(time.monotonic() - t0, 1), "event": "kill -9", "integrity": check,
                         "outbox_before": len(before_outbox), "outbox_lost": len(before_outbox - after_outbox),
                         "firing_before": len(before_firing), "firing_lost": len(before_firing - after_firing)}
                started = time.monotonic()
                proc = start()
                event["restart_s"] = round(time.monotonic() - started, 2)
                for r in receivers:
                    r.force = None
                events.append(event)
                emit(event)
                last_cpu = None
                next_sample = time.monotonic() - t0
                continue
            if args.fill_disk_at is not None and now >= args.fill_disk_at:
                args.fill_disk_at = None
                events.append({"t": round(now, 1), "event": "disk full", "ballast": fill(data / "ballast")})
                emit(events[-1])
            if args.free_disk_at is not None and now >= args.free_disk_at:
                args.free_disk_at = None
                (data / "ballast").unlink(missing_ok=True)
                events.append({"t": round(now, 1), "event": "disk freed"})
                emit(events[-1])
            if now >= next_sample:
                next_sample += args.every
                s = {"t": round(now, 1), **proc_sample(proc.pid), "db": size(db), "wal": size(str(db) + "-wal"),
                     "shm": size(str(db) + "-shm"), "log": size(log_path), **rows(db)}
                if last_cpu is not None:
                    s["cpu_pct"] = round(100 * (s["cpu_s"] - last_cpu) / (now - last_t), 1)
                last_cpu, last_t = s["cpu_s"], now
                samples.append(s)
                emit(s)
            time.sleep(0.2)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = "killed after 15 s"
            events.append({"event": "sigterm", "code": code})
        stop.set()
        target_proc.terminate()
        target_proc.wait()
        for r in receivers:
            r.close()
        log.close()
    final = integrity(db) if db.exists() else "missing"
    keys = ["rss_kb", "fds", "threads", "db", "wal", "shm", "log"] + TABLES
    # Trends per stretch of one process (a kill -9 starts a new one), after a minute of warm-up.
    kill = next((e["t"] for e in events if e.get("event") == "kill -9"), None)
    stretches = [(0, kill), (kill, None)] if kill else [(0, None)]
    per_hour = []
    for start, end in stretches:
        part = [s for s in samples if s["t"] >= start + 60 and (end is None or s["t"] < end)]
        per_hour.append({"from_s": start, "to_s": end, "samples": len(part),
                         **{k: round(v, 1) for k in keys + ["cpu_s"] if (v := trend(part, k)) is not None}})
    summary = {"summary": True, "duration_s": round(time.monotonic() - t0), "samples": len(samples), "events": events,
               "integrity": final, "per_hour": per_hour,
               "first": samples[0] if samples else None, "last": samples[-1] if samples else None,
               "cpu_pct_mean": round(sum(s.get("cpu_pct", 0) for s in samples[1:]) / max(1, len(samples) - 1), 1),
               "receivers_accepted": [r.accepted for r in receivers], "check_hits": sum(s.hits for s in servers)}
    emit(summary)


if __name__ == "__main__":
    main()
