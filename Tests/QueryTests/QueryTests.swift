import Foundation
import Testing
@testable import Query

/// Every `testdata/*.test` script, run through the promqltest-style harness.
@Suite struct ScriptTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("testdata")

    static var files: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".test") }.sorted()
    }

    @Test(arguments: files)
    func script(_ file: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
        var runner = ScriptRunner(name: file)
        runner.run(text)
        #expect(runner.evalCount > 0)
        #expect(runner.failures.isEmpty, "\(runner.failures.joined(separator: "\n"))")
    }
}
