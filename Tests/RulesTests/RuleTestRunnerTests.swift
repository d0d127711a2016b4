import Config
import Foundation
import Testing
import TestSupport
@testable import Rules

/// Every `testdata/promtool/*.test.yml` runs under Lookout's runner and, when installed, under the
/// real `promtool test rules`: both must agree. Files named `*.fail.test.yml` must fail.
@Suite struct RuleTestRunnerTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("testdata/promtool")

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".test.yml") }.sorted()
    }()

    static let promtool: String? = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func runPromtool(_ file: String) throws -> (passed: Bool, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool!)
        process.arguments = ["test", "rules", file]
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus == 0, String(decoding: data, as: UTF8.self))
    }

    @Test func thereAreEnoughFiles() {
        #expect(Self.files.count >= 20)
    }

    @Test(arguments: files)
    func agreesWithExpectation(file: String) {
        let path = Self.directory.appendingPathComponent(file).path
        let (passed, output) = RuleTestRunner.run(files: [path])
        #expect(passed == !file.hasSuffix(".fail.test.yml"), "\(output)")
    }

    @Test(.enabled(if: promtool != nil), arguments: files)
    func agreesWithPromtool(file: String) async throws {
        let path = Self.directory.appendingPathComponent(file).path
        // Off the cooperative pool: waiting for promtool there would stall other tests' tasks.
        let reference = try await offCooperativePool { try Self.runPromtool(path) }
        let ours = RuleTestRunner.run(files: [path])
        #expect(ours.passed == reference.passed, "promtool:\n\(reference.output)\nlookout:\n\(ours.output)")
        if file.hasSuffix(".fail.test.yml") {
            #expect(ours.output == reference.output)
        }
    }

    @Test func shorthandFileIsWhatTheShorthandsCompileTo() throws {
        let config = try ConfigLoader.parse(text: String(contentsOf: Self.directory.appendingPathComponent("shorthand.lookout.yml"), encoding: .utf8),
                                            fileName: "shorthand.lookout.yml", environment: [:]).get()
        let file = try ConfigLoader.loadRuleFile(path: Self.directory.appendingPathComponent("shorthand.rules.yml").path).get()
        let written = file.groups[0].rules.map(RuleSpec.init)
        let compiled = config.alerts.map(Shorthand.compile)
        #expect(written == compiled)
    }
}
