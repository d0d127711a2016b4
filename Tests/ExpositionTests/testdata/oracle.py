#!/usr/bin/env python3
"""Independent oracle for the parser corpus: prints the samples Python's prometheus_client
parses from a payload, in the `.expected` format (`labels value timestamp_ms|-`).

    python3 oracle.py good/go_client.prom > good/go_client.expected
"""
import math
import sys

from prometheus_client.parser import text_string_to_metric_families as parse_text
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om


def escape(value):
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")


def render(name, labels):
    rest = sorted((k, v) for k, v in labels.items() if v != "")
    if not rest:
        return name
    return name + "{" + ", ".join(f'{k}="{escape(v)}"' for k, v in rest) + "}"


def timestamp_ms(ts):
    if ts is None:
        return "-"
    if hasattr(ts, "sec"):
        return str(ts.sec * 1000 + ts.nsec // 1_000_000)
    return str(int(round(ts * 1000)))


def main(path):
    text = open(path, encoding="utf-8").read()
    parse = parse_om if path.endswith(".om") else parse_text
    for family in parse(text):
        for s in family.samples:
            value = s.value
            shown = "NaN" if math.isnan(value) else repr(float(value))
            print(f"{render(s.name, s.labels)} {shown} {timestamp_ms(s.timestamp)}")


if __name__ == "__main__":
    main(sys.argv[1])
