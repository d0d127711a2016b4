import Testing
@testable import Forward

@Suite struct ForwardSmokeTests {
    @Test func moduleLinks() { #expect(String(describing: Forward.self) == "Forward") }
}
