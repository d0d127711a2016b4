import Foundation
import Testing
import Model
import SQLite
import TestSupport
@testable import Storage

/// Kills a writer process (`StorageBench crash-child`) with SIGKILL at random points and checks
/// that the database is sound and holds every batch the child acknowledged.
@Suite struct CrashTests {
    let dir = TempDirectory()

    /// The child binary sits next to the test runner in the build directory.
    static var childPath: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("StorageBench").path
    }

    /// Runs on threads of its own: it blocks on the child for seconds at a time, which on the
    /// cooperative pool (two threads on CI) would stall every other test's tasks meanwhile.
    @Test(.timeLimit(.minutes(1)))
    func killedWriterLosesNoAcknowledgedBatch() async throws {
        let child = Self.childPath
        try #require(FileManager.default.isExecutableFile(atPath: child), "build StorageBench first (swift build --build-tests builds it): \(child)")
        let path = dir.file("crash.db")
        var acknowledged: [Int] = []
        var next = 0
        for round in 0..<20 {
            let buffer = try await offCooperativePool { [next] in try Self.runChild(child, path: path, from: next, round: round) }
            let acks = Self.lines(buffer).compactMap { $0.hasPrefix("ack ") ? Int($0.dropFirst(4)) : nil }
            acknowledged += acks
            next = (acks.last ?? next - 1) + 1
            // A batch the child wrote but did not live to acknowledge may or may not be there; start after it.
            next += 1

            let check = try Connection(path: path)
            #expect(try check.integrityCheck().isEmpty, "round \(round)")
            check.close()
        }
        #expect(acknowledged.count >= 20)
        let db = try TSDB.open(path: path)
        let series = try db.select([m("__name__", .equal, "crash_total")], in: Timestamp.min...Timestamp.max)
        #expect(series.count == CrashChild.series)
        for s in series {
            let i = Double(Int(s.labels["i"]!)! + 1)
            let stored = Dictionary(s.samples.map { ($0.timestamp, $0.value) }, uniquingKeysWith: { $1 })
            let missing = acknowledged.filter { stored[Int64($0) * 15_000] != Double($0) * i }
            #expect(missing.isEmpty, "series \(s.labels): acknowledged batches missing: \(missing.prefix(10))")
        }
        #expect(try db.stats().series == CrashChild.series)
    }

    /// Starts the child, lets it write a random number of batches, kills it and returns its output.
    static func runChild(_ child: String, path: String, from next: Int, round: Int) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: child)
        process.arguments = ["crash-child", path, "\(next)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // Let it write a random number of batches (some rounds die while opening or compacting).
        let target = Int.random(in: 0...60)
        var buffer = Data()
        while lines(buffer).count < target {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        if round % 3 == 0 { usleep(UInt32.random(in: 0...3000)) }
        killAndWait(process)
        buffer.append(pipe.fileHandleForReading.readDataToEndOfFile())
        return buffer
    }

    static func lines(_ data: Data) -> [Substring] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ack ") && !$0.isEmpty }
    }
}

/// The child's batch layout (kept equal to Benchmarks/StorageBench/CrashChild.swift).
enum CrashChild {
    static let series = 50
}
