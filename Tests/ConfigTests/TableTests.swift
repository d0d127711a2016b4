import Config
import Foundation
import Testing

/// `testdata/bad/NAME.bad.yml` must fail with exactly the lines of `NAME.expected`;
/// `testdata/good/*.good.yml` must load without a diagnostic.
@Suite struct TableTests {
    static let badDirectory = Fixtures.testdata + "/bad"
    static let goodDirectory = Fixtures.testdata + "/good"

    @Test func thereAreEnoughBadCases() {
        #expect(Fixtures.files(in: Self.badDirectory, suffix: ".bad.yml").count >= 45)
    }

    @Test(arguments: Fixtures.files(in: Fixtures.testdata + "/bad", suffix: ".bad.yml"))
    func badConfig(_ name: String) throws {
        let expectedPath = Self.badDirectory + "/" + name.replacingOccurrences(of: ".bad.yml", with: ".expected")
        let expected = Fixtures.read(expectedPath).split(separator: "\n").map(String.init)
        switch Fixtures.parse(Self.badDirectory, name) {
        case .success:
            Issue.record("\(name) loaded without errors")
        case .failure(let errors):
            let actual = Fixtures.lines(errors, stripping: Self.badDirectory)
            if ProcessInfo.processInfo.environment["LOOKOUT_REGENERATE"] == "1" {
                try (actual.joined(separator: "\n") + "\n").write(toFile: expectedPath, atomically: true, encoding: .utf8)
            }
            #expect(actual == expected, "\(name)")
        }
    }

    @Test(arguments: Fixtures.files(in: Fixtures.testdata + "/good", suffix: ".good.yml"))
    func goodConfig(_ name: String) {
        if case .failure(let errors) = Fixtures.parse(Self.goodDirectory, name, environment: Fixtures.fullEnvironment) {
            Issue.record("\(name):\n\(errors)")
        }
    }
}
