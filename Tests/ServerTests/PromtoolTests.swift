import Foundation
import Model
import Testing
import TestSupport
@testable import Server

/// Runs the real `promtool query ...` (Debian's prometheus 2.42) against the server and compares
/// its output with `testdata/promtool/NAME.txt`. Set `LOOKOUT_RECORD=1` to rewrite the files.
@Suite("promtool against the server", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool")))
struct PromtoolTests {
    static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("testdata/promtool")

    static let cases: [(name: String, arguments: [String])] = [
        ("instant", ["query", "instant", "--time=1700000000", "URL", "up"]),
        ("instant-json", ["query", "instant", "-o", "json", "--time=1700000000", "URL", "up"]),
        ("instant-scalar", ["query", "instant", "--time=1700000000.5", "URL", "time()"]),
        ("range", ["query", "range", "--start=1700000000", "--end=1700000060", "--step=30s", "URL", "up"]),
        ("series", ["query", "series", "--match=up", "--match=probe_success", "--start=1699999000", "--end=1700001000", "URL"]),
        ("labels", ["query", "labels", "--start=1699999000", "--end=1700001000", "URL", "instance"]),
        ("labels-names", ["query", "labels", "--start=1699999000", "--end=1700001000", "URL", "__name__"]),
        ("bad-expression", ["query", "instant", "URL", "sum("]),
        ("bad-range", ["query", "range", "--start=1700000000", "--end=1700100000", "--step=1s", "URL", "up"]),
    ]

    @Test("promtool query", arguments: cases.map(\.name))
    func promtool(name: String) async throws {
        let arguments = try #require(Self.cases.first { $0.name == name }).arguments
        var deps = try Fixtures.dependencies()
        deps.instantQuery = FakeEngine.instant
        deps.rangeQuery = FakeEngine.range
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let url = "http://127.0.0.1:\(client.port)"
            let (status, output) = try await runTool("/usr/bin/promtool", arguments.map { $0 == "URL" ? url : $0 })
            let actual = "exit \(status)\n" + output.replacingOccurrences(of: url, with: "URL")
            let file = Self.testdata.appendingPathComponent("\(name).txt")
            if ProcessInfo.processInfo.environment["LOOKOUT_RECORD"] == "1" {
                try actual.write(to: file, atomically: true, encoding: .utf8)
            }
            let expected = try String(contentsOf: file, encoding: .utf8)
            #expect(actual == expected)
        }
    }
}
