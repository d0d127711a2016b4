#!/usr/bin/env python3
"""Writes write_request_vectors.json: remote-write 1.0 WriteRequests encoded by Google's protobuf
runtime (pip install protobuf), the reference the hand-written Swift encoder is checked against.

The messages are declared from prompb (types.proto / remote.proto) at run time, so no protoc is
needed. Each case lists its samples (labels, timestamp, the value's IEEE-754 bits) and the
expected bytes in hex. External labels are merged the way Prometheus does: added to a series
unless it already has a label of that name.
"""
import json, os, struct
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
fdp = descriptor_pb2.FileDescriptorProto(name="prompb.proto", package="prometheus", syntax="proto3")
def msg(name, fields):
    m = fdp.message_type.add(name=name)
    for number, fname, ftype, label, tname in fields:
        f = m.field.add(name=fname, number=number, type=ftype, label=label)
        if tname: f.type_name = tname
msg("Sample", [(1, "value", F.TYPE_DOUBLE, F.LABEL_OPTIONAL, None), (2, "timestamp", F.TYPE_INT64, F.LABEL_OPTIONAL, None)])
msg("Label", [(1, "name", F.TYPE_STRING, F.LABEL_OPTIONAL, None), (2, "value", F.TYPE_STRING, F.LABEL_OPTIONAL, None)])
msg("TimeSeries", [(1, "labels", F.TYPE_MESSAGE, F.LABEL_REPEATED, ".prometheus.Label"),
                   (2, "samples", F.TYPE_MESSAGE, F.LABEL_REPEATED, ".prometheus.Sample")])
msg("WriteRequest", [(1, "timeseries", F.TYPE_MESSAGE, F.LABEL_REPEATED, ".prometheus.TimeSeries")])
pool = descriptor_pool.DescriptorPool()
pool.Add(fdp)
WriteRequest = message_factory.GetMessageClass(pool.FindMessageTypeByName("prometheus.WriteRequest"))

def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]

STALE = 0x7FF0000000000002
CASES = [
    {"name": "basic", "external": {}, "samples": [
        ({"__name__": "up", "instance": "localhost:9090", "job": "lookout"}, 1700000000000, bits(1.0)),
        ({"__name__": "http_requests_total", "method": "GET", "path": "/api/v1/query?q=é"}, 1700000000123, bits(12345.5)),
        ({"__name__": "zero_value"}, 1, bits(0.0)),
        ({"__name__": "negative", "le": "+Inf"}, -5, bits(-2.5)),
        ({"__name__": "stale"}, 1700000015000, STALE),
        ({"__name__": "long", "v": "x" * 300}, 1700000000000, bits(1e-300)),
    ]},
    {"name": "external-labels", "external": {"cluster": "eu-1", "job": "ignored", "a": "first"}, "samples": [
        ({"__name__": "up", "instance": "h:1", "job": "node"}, 1700000000000, bits(1.0)),
        ({"zz": "last"}, 1700000000001, bits(0.5)),
    ]},
]

def encode(case):
    req = WriteRequest()
    for labels, ts, value_bits in case["samples"]:
        merged = dict(case["external"])
        merged.update(labels)
        series = req.timeseries.add()
        for name in sorted(merged):
            series.labels.add(name=name, value=merged[name])
        series.samples.add(value=struct.unpack("<d", struct.pack("<Q", value_bits))[0], timestamp=ts)
    return req.SerializeToString()

out = [{"name": c["name"], "external": c["external"],
        "samples": [{"labels": l, "timestamp": t, "value_bits": "%016x" % b} for l, t, b in c["samples"]],
        "hex": encode(c).hex()} for c in CASES]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "write_request_vectors.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("wrote", path)
