import Foundation
import Model

/// Deterministic input series for the differential test: counters with resets, gauges with gaps
/// and stale markers, classic histogram buckets. Written in label order, because Prometheus'
/// head hands series to aggregations in creation order and we want the same summation order.
enum DifferentialData {
    static let interval: Int64 = 30_000
    static let points = 41 // 20 minutes

    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        /// A value in 0..<n with a quarter-step fraction, exact in binary.
        mutating func quarter(_ n: UInt64) -> Double { Double(next() % (n * 4)) / 4 }
    }

    static func series() -> [(Labels, [String])] {
        var g = Generator(state: 42)
        var out: [(Labels, [String])] = []
        func counter(_ labels: Labels, step: UInt64, resetAt: Int? = nil) {
            var value = g.quarter(50)
            var values: [String] = []
            for i in 0..<points {
                if i == resetAt { value = g.quarter(3) }
                values.append(format(value))
                value += g.quarter(step)
            }
            out.append((labels, values))
        }
        for job in ["api", "web"] {
            for instance in ["a:9100", "b:9100"] {
                for code in ["200", "404", "500"] {
                    let reset = job == "web" && instance == "a:9100" && code == "200" ? 23 : nil
                    counter(["__name__": "http_requests_total", "job": job, "instance": instance, "code": code],
                            step: code == "200" ? 40 : 6, resetAt: reset)
                }
                var gauge = g.quarter(1000) - 300
                var values: [String] = []
                for _ in 0..<points {
                    values.append(format(gauge))
                    gauge += g.quarter(80) - 40
                }
                out.append((["__name__": "memory_bytes", "job": job, "instance": instance], values))
                out.append((["__name__": "up", "job": job, "instance": instance],
                            (0..<points).map { i in (i / 7 + (instance == "a:9100" ? 0 : 1)) % 3 == 0 ? "0" : "1" }))
                out.append((["__name__": "version", "job": job, "instance": instance], [job == "api" ? "1.5" : "2"]
                            + Array(repeating: "_", count: 5) + ["3"]))
            }
            // Cumulative buckets: each bucket adds to the one below.
            var counts = [Double](repeating: 0, count: 6)
            var rows = [[String]](repeating: [], count: 6)
            for _ in 0..<points {
                var running = 0.0
                for b in 0..<6 {
                    counts[b] += g.quarter(b == 5 ? 2 : 10)
                    running += counts[b]
                    rows[b].append(format(running))
                }
            }
            for (b, le) in ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"].enumerated() {
                out.append((["__name__": "request_duration_seconds_bucket", "job": job, "le": le], rows[b]))
            }
        }
        for room in ["attic", "cellar", "kitchen"] {
            var temp = 15 + g.quarter(10)
            var values: [String] = []
            for i in 0..<points {
                if room == "attic" && (10..<14).contains(i) {
                    values.append("_")
                } else if room == "cellar" && i == 20 {
                    values.append("stale")
                } else if room == "kitchen" && i > 30 {
                    values.append("_")
                } else {
                    values.append(format(temp))
                }
                temp += g.quarter(4) - 2
            }
            out.append((["__name__": "temperature", "room": room], values))
        }
        // Irregular counters (gaps, resets, a zero start) and gauges with NaN and infinities.
        for (i, pattern) in ["x..x.xx...x.x..xxx.x..x.....x.x.x..x.xx.", "xx.xxxx.xx..xxxxxxx.x.xxxxx..xxxx.x.xxxxx"].enumerated() {
            var value = i == 0 ? 0 : g.quarter(20)
            var values: [String] = []
            for (j, mark) in pattern.enumerated() {
                if j == 17 { value = g.quarter(2) }
                values.append(mark == "x" ? format(value) : "_")
                value += g.quarter(9)
            }
            out.append((["__name__": "errors_total", "service": "s\(i)"], values))
        }
        var nanValues: [String] = []
        var infValues: [String] = []
        for i in 0..<points {
            nanValues.append(i % 5 == 2 ? "NaN" : format(Double(i % 7) - 2.5))
            let infinity = i % 4 == 1 ? "Inf" : "-Inf"
            infValues.append(i % 6 == 1 ? infinity : format(Double(i) / 4))
        }
        out.append((["__name__": "odd_gauge", "kind": "nan"], nanValues))
        out.append((["__name__": "odd_gauge", "kind": "inf"], infValues))
        return out.sorted { $0.0 < $1.0 }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
