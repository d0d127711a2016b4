import Foundation
import Model
import Testing
@testable import Server

/// Runs the real `amtool silence add|query|expire` (Debian's prometheus-alertmanager) against the server.
@Suite("amtool against the silences API", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/amtool")))
struct AmtoolTests {
    @Test("add, query and expire a silence")
    func silences() async throws {
        var deps = try Fixtures.dependencies()
        deps.now = { Timestamp(Date().timeIntervalSince1970 * 1000) }
        SilenceBook().install(into: &deps)
        try await withServer(deps) { (client: HTTPTestClient) async throws in
            let url = "--alertmanager.url=http://127.0.0.1:\(client.port)"
            let added = try await Self.amtool(["silence", "add", url, "--author=ops", "--comment=deploy", "--duration=1h", "alertname=ApiDown", "job=~api.*"])
            #expect(added.0 == 0)
            #expect(added.1 == "s1\n")
            let query = try await Self.amtool(["silence", "query", url, "-o", "json"])
            #expect(query.0 == 0)
            #expect(query.1.contains(#""id":"s1""#) && query.1.contains(#""createdBy":"ops""#) && query.1.contains(#""state":"active""#))
            let quiet = try await Self.amtool(["silence", "query", url, "-q", "alertname=ApiDown"])
            #expect(quiet.1 == "s1\n")
            let expired = try await Self.amtool(["silence", "expire", url, "s1"])
            #expect(expired.0 == 0)
            #expect(try await Self.amtool(["silence", "query", url, "-q"]).1 == "")
        }
    }

    static func amtool(_ arguments: [String]) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/amtool")
                process.arguments = arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                do {
                    try process.run()
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }
}
