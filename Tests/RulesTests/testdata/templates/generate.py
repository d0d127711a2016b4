#!/usr/bin/env python3
"""Regenerates expected.json: runs every template of cases.json through the real
`promtool test rules` (Prometheus' Go templates) and records what it expanded to.
Usage: python3 generate.py  (needs promtool on PATH)."""
import json, os, re, subprocess, tempfile, ast

HERE = os.path.dirname(os.path.abspath(__file__))
cases = json.load(open(os.path.join(HERE, "cases.json")))
values = json.load(open(os.path.join(HERE, "values.json")))

def yq(s):
    return json.dumps(s)  # JSON strings are valid YAML double-quoted scalars

import sys
with (tempfile.TemporaryDirectory() if len(sys.argv) < 2 else open(os.devnull)) as _t:
    tmp = _t if len(sys.argv) < 2 else sys.argv[1]
    rules = ["groups:", "- name: templates", "  rules:", "  - alert: T", "    expr: m", "    annotations:"]
    for i, c in enumerate(cases):
        rules.append(f"      a{i:03d}: {yq(c)}")
    open(os.path.join(tmp, "rules.yml"), "w").write("\n".join(rules) + "\n")
    series = [f"  - series: 'm{{case=\"{i:02d}\",job=\"api\",instance=\"host.example.com:9090\",path=\"/a \\\"b\\\"\"}}'\n    values: '{v}'" for i, v in enumerate(values)]
    test = f"""rule_files: [rules.yml]
evaluation_interval: 1m
tests:
- interval: 1m
  external_labels: {{env: prod}}
  external_url: http://lookout.example:9464/prefix
  input_series:
{chr(10).join(series)}
  - series: 'up{{instance="b:2"}}'
    values: '0'
  - series: 'up{{instance="a:1"}}'
    values: '1'
  alert_rule_test:
  - eval_time: 0m
    alertname: T
"""
    open(os.path.join(tmp, "test.yml"), "w").write(test)
    proc = subprocess.run(["promtool", "test", "rules", "test.yml"], cwd=tmp, capture_output=True, text=True)
    out = proc.stdout + proc.stderr
    if "got:" not in out: print(out); raise SystemExit(1)
    got = out.split("got:", 1)[1]
    results = []
    for m in re.finditer(r'Annotations:\{(.*?)\},?\n', got):
        body = m.group(1)
        ann = {}
        for km in re.finditer(r'(a\d{3})=("(?:[^"\\]|\\.)*")', body):
            ann[km.group(1)] = ast.literal_eval(km.group(2))  # Go's %q is close enough to Python literals here
        results.append(ann)
    expected = []
    for i, c in enumerate(cases):
        expected.append({"template": c, "outputs": [r.get(f"a{i:03d}", "") for r in results]})
    json.dump({"values": values, "cases": expected}, open(os.path.join(HERE, "expected.json"), "w"), indent=1, ensure_ascii=False)
    print(f"{len(cases)} templates x {len(results)} values")
