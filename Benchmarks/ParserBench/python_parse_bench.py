#!/usr/bin/env python3
"""Times Python prometheus_client's parser on one payload file, for ParserBench's comparison.

    python3 python_parse_bench.py PAYLOAD {text|openmetrics} [min_seconds]

Prints one line: `bytes samples cpu_seconds_per_parse` (best run).
"""
import sys
import time

from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om


def main():
    path, fmt = sys.argv[1], sys.argv[2]
    min_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    raw = open(path, "rb").read()
    parse = parse_om if fmt == "openmetrics" else parse_text
    runs, samples, start, best = 0, 0, time.perf_counter(), float("inf")
    while True:
        cpu = time.process_time()
        # Decoding is part of the work, as the Swift side parses bytes.
        samples = sum(len(f.samples) for f in parse(raw.decode("utf-8")))
        # Best CPU time of a run, as the Swift side measures it on a busy machine.
        best = min(best, time.process_time() - cpu)
        runs += 1
        if time.perf_counter() - start >= min_seconds and runs >= 3:
            break
    print(len(raw), samples, best)


if __name__ == "__main__":
    main()
