import Foundation
import Model

// Regular expressions: Lookout's LinearRegex (Go semantics, linear time) next to Swift's Regex
// (backtracking) on label values, a probe body and a pattern that backtracks exponentially.
//   swift run -c release RegexBench
// CPU time of this thread, best of 5 runs.

func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Nanoseconds per operation, best of 5 runs of `count` operations.
func best(_ count: Int, _ body: () -> Int) -> Double {
    var fastest = Double.infinity
    var checksum = 0
    for _ in 0..<5 {
        let start = threadCPUSeconds()
        checksum &+= body()
        fastest = min(fastest, threadCPUSeconds() - start)
    }
    precondition(checksum >= 0)
    return fastest / Double(count) * 1e9
}

func row(_ name: String, _ linear: Double, _ swift: Double?) {
    let swiftText = swift.map { String(format: "%.0f ns", $0) } ?? "(not run: exponential)"
    let ratio = swift.map { String(format: "%.1fx", $0 / linear) } ?? "-"
    print("| \(name) | \(String(format: "%.0f ns", linear)) | \(swiftText) | \(ratio) |")
}

let values = (0..<20_000).map { "/api/v1/item\($0)s" }
print("| pattern, whole-match over 20,000 label values unless noted | LinearRegex | Swift Regex | Swift / Linear |")
print("| --- | --- | --- | --- |")
for pattern in ["/api/v1/.*s", "(?i)/API/v1/item1.*", "api|web|db-[0-9]+", "[a-z/]+[0-9]{2,4}s", #"/api/v\d/(\w+?)(\d+)s"#] {
    let linear = try LinearRegex(pattern)
    let swift = try Regex(pattern)
    let ours = best(values.count) { values.reduce(0) { $0 + (linear.wholeMatches($1) ? 1 : 0) } }
    let theirs = best(values.count) { values.reduce(0) { $0 + ((try? swift.wholeMatch(in: $1)) != nil ? 1 : 0) } }
    row("`\(pattern)`", ours, theirs)
}
let body = Array(String(repeating: #"{"status":"ok","checks":{"db":"healthy","cache":"healthy"}} "#, count: 200).utf8)
let bodyPattern = #""db":"(unhealthy|down)""#
let linearBody = try LinearRegex(bodyPattern)
let swiftBody = try Regex(bodyPattern)
let bodyText = String(decoding: body, as: UTF8.self)
row("`\(bodyPattern)` searched in a \(body.count / 1000) kB body (per body)",
    best(20) { (0..<20).reduce(0) { r, _ in r + (linearBody.containsMatch(body) ? 1 : 0) } },
    best(20) { (0..<20).reduce(0) { r, _ in r + ((try? swiftBody.firstMatch(in: bodyText)) != nil ? 1 : 0) } })
let hostile = try LinearRegex("(a+)+b")
let hostileSwift = try Regex("(a+)+b")
let short = String(repeating: "a", count: 14), long = String(repeating: "a", count: 10_000)
row("`(a+)+b` on 14 a's", best(1) { hostile.wholeMatches(short) ? 1 : 0 },
    best(1) { (try? hostileSwift.wholeMatch(in: short)) != nil ? 1 : 0 })
row("`(a+)+b` on 10,000 a's", best(1) { hostile.wholeMatches(long) ? 1 : 0 }, nil)
