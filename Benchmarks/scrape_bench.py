#!/usr/bin/env python3
"""Scrape benchmark: Lookout and Prometheus scraping the same fake targets in the same run.

  python3 Benchmarks/scrape_bench.py [--targets 200] [--series 1000] [--interval 5]
                                      [--warmup 25] [--window 40] [--lookout-bin PATH] [--rule EXPR]

Starts /work/shared/bench/fake_target.py (--fake-target to override) serving --targets ports
with --series series each, then `lookout run` (release build by default) and Prometheus 2.42
(`prometheus`, TSDB in a temp dir, 127.0.0.1 only), both scraping every target at --interval.
After --warmup seconds it reads each daemon's CPU (utime+stime from /proc/PID/stat) and again
--window seconds later; the samples ingested in that window come from each daemon's own query
API, the same PromQL for both: sum(sum_over_time(scrape_samples_scraped{job="bench"}[window])).
Prints CPU per ingested sample (storage included: it is all one process), RSS, and the ratios
Lookout/Prometheus. Every process it starts is killed on exit; every wait is bounded.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ports_free(first, count):
    for port in range(first, first + count):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def http_get(url, timeout=5.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"timed out after {timeout}s waiting for {what}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS   # utime, stime


def rss_mb(pid, key="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def instant_query(api, query, at):
    url = f"{api}/api/v1/query?" + urllib.parse.urlencode({"query": query, "time": f"{at:.3f}"})
    body = json.loads(http_get(url, timeout=30))
    result = body["data"]["result"]
    return float(result[0]["value"][1]) if result else 0.0


class Daemon:
    def __init__(self, name, argv, api, log_path, env=None):
        self.name, self.api = name, api
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True)

    @property
    def pid(self):
        return self.process.pid

    def check_alive(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()


def write_configs(tmp, targets, interval, lookout_port, prometheus_port, rule=None):
    listed = ", ".join(targets)
    rules = ""
    if rule:
        # One recording rule, loaded verbatim by both: a query over the series keeps Lookout's
        # head cache filled, as alert rules do in real use.
        path = os.path.join(tmp, "rules.yml")
        with open(path, "w") as f:
            f.write(f"groups:\n  - name: bench\n    interval: 15s\n    rules:\n      - record: bench:rule\n        expr: '{rule}'\n")
        rules = f"rule_files: [{path}]\n"
    lookout = os.path.join(tmp, "lookout.yml")
    with open(lookout, "w") as f:
        f.write(f"""global:
  scrape_interval: {interval}s
  evaluation_interval: 1m
  data_dir: {tmp}/lookout-data
  listen: 127.0.0.1:{lookout_port}
scrape:
  - job: bench
    interval: {interval}s
    timeout: {interval}s
    targets: [{listed}]
{rules}""")
    prometheus = os.path.join(tmp, "prometheus.yml")
    with open(prometheus, "w") as f:
        f.write(f"""global:
  scrape_interval: {interval}s
  scrape_timeout: {interval}s
  evaluation_interval: 1m
scrape_configs:
  - job_name: bench
    static_configs:
      - targets: [{listed}]
{rules}""")
    return lookout, prometheus


def measure(daemons, warmup, window, targets):
    """CPU and samples over one window after the warm-up, for all daemons at once."""
    time.sleep(warmup)
    for d in daemons:
        d.check_alive()
    start = {d.name: cpu_seconds(d.pid) for d in daemons}
    t0 = time.time()
    time.sleep(window)
    t1 = time.time()
    end = {d.name: cpu_seconds(d.pid) for d in daemons}
    rss = {d.name: (rss_mb(d.pid), rss_mb(d.pid, "VmHWM")) for d in daemons}
    # Let scrapes that started inside the window be stored before they are counted.
    time.sleep(2)
    results = {}
    seconds = int(round(t1 - t0))
    for d in daemons:
        d.check_alive()
        samples = instant_query(d.api, f'sum(sum_over_time(scrape_samples_scraped{{job="bench"}}[{seconds}s]))', t1)
        scrapes = instant_query(d.api, f'sum(count_over_time(up{{job="bench"}}[{seconds}s]))', t1)
        up = instant_query(d.api, f'sum(sum_over_time(up{{job="bench"}}[{seconds}s]))', t1)
        cpu = end[d.name] - start[d.name]
        results[d.name] = dict(cpu=cpu, samples=samples, scrapes=scrapes, up=up, rss=rss[d.name][0],
                               hwm=rss[d.name][1], wall=t1 - t0,
                               us_per_sample=cpu / samples * 1e6 if samples else float("nan"))
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--targets", type=int, default=200)
    p.add_argument("--series", type=int, default=1000)
    p.add_argument("--interval", type=int, default=5)
    p.add_argument("--warmup", type=float, default=25)
    p.add_argument("--window", type=float, default=40)
    p.add_argument("--base-port", type=int, default=23100)
    p.add_argument("--fake-target", default="/work/shared/bench/fake_target.py")
    p.add_argument("--lookout-bin", default=os.path.join(REPO, ".build/release/lookout"))
    p.add_argument("--prometheus-bin", default=shutil.which("prometheus") or "/usr/bin/prometheus")
    p.add_argument("--only", choices=["lookout", "prometheus"], help="run one daemon only")
    p.add_argument("--rule", help="a PromQL expression both evaluate every 15 s as a recording rule "
                   "(e.g. 'count({job=\"bench\"})': Lookout's head cache then holds every series)")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (logs, data)")
    args = p.parse_args()

    if not ports_free(args.base_port, args.targets):
        sys.exit(f"ports {args.base_port}..{args.base_port + args.targets - 1} are not all free; use --base-port")
    tmp = tempfile.mkdtemp(prefix="scrape-bench-")
    ports = range(args.base_port, args.base_port + args.targets)
    targets = [f"127.0.0.1:{port}" for port in ports]
    lookout_port, prometheus_port = free_port(), free_port()
    lookout_cfg, prometheus_cfg = write_configs(tmp, targets, args.interval, lookout_port, prometheus_port, args.rule)
    budget = args.warmup + args.window + 120
    started = []
    try:
        fake = Daemon("fake_target", [sys.executable, args.fake_target, "--ports", f"{ports[0]}-{ports[-1]}",
                                      "--series", str(args.series), "--duration", str(int(budget))],
                      None, os.path.join(tmp, "fake_target.log"))
        started.append(fake)
        wait_for(lambda: http_get(f"http://{targets[-1]}/metrics", 2), 30, "fake targets")
        wait_for(lambda: http_get(f"http://{targets[0]}/metrics", 2), 30, "fake targets")
        daemons = []
        if args.only != "prometheus":
            lookout = Daemon("lookout", [args.lookout_bin, "run", "--config", lookout_cfg],
                             f"http://127.0.0.1:{lookout_port}", os.path.join(tmp, "lookout.log"))
            started.append(lookout)
            daemons.append(lookout)
        if args.only != "lookout":
            prometheus = Daemon("prometheus", [args.prometheus_bin, f"--config.file={prometheus_cfg}",
                                               f"--storage.tsdb.path={tmp}/prometheus-data",
                                               f"--web.listen-address=127.0.0.1:{prometheus_port}"],
                                f"http://127.0.0.1:{prometheus_port}", os.path.join(tmp, "prometheus.log"))
            started.append(prometheus)
            daemons.append(prometheus)
        for d in daemons:
            wait_for(lambda d=d: d.check_alive() or http_get(f"{d.api}/-/ready", 2), 60, f"{d.name} ready")
        results = measure(daemons, args.warmup, args.window, args.targets)
    finally:
        for d in reversed(started):
            d.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")

    print(f"{args.targets} targets x {args.series} series every {args.interval}s; "
          f"window {results[daemons[0].name]['wall']:.0f}s after {args.warmup:.0f}s warm-up")
    print(f"{'daemon':<12}{'samples':>10}{'scrapes':>9}{'up':>7}{'CPU s':>8}{'us CPU/sample':>15}{'RSS MB':>8}{'peak MB':>9}")
    for name, r in results.items():
        print(f"{name:<12}{r['samples']:>10.0f}{r['scrapes']:>9.0f}{r['up']:>7.0f}{r['cpu']:>8.2f}"
              f"{r['us_per_sample']:>15.2f}{r['rss']:>8.0f}{r['hwm']:>9.0f}")
    for name, r in results.items():
        if r["scrapes"] and abs(r["samples"] / r["scrapes"] - args.series) > 1:
            print(f"warning: {name} averaged {r['samples'] / r['scrapes']:.0f} samples per scrape, expected {args.series}")
    if "lookout" in results and "prometheus" in results:
        lk, pr = results["lookout"], results["prometheus"]
        print(f"ratio lookout/prometheus: CPU per sample {lk['us_per_sample'] / pr['us_per_sample']:.2f}x, "
              f"RSS {lk['rss'] / pr['rss']:.2f}x (goal <= 0.5x on both)")


if __name__ == "__main__":
    main()
