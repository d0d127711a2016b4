import Model
import Testing

/// Which `global.listen` hosts keep the API on this machine; any other, without `api_auth`, makes
/// the daemon warn at start.
@Suite struct ListenExposureTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"])
    func loopbackHosts(host: String) {
        #expect(LoopbackHost.contains(host))
    }

    @Test(arguments: ["", "0.0.0.0", "::", "10.0.0.5", "192.168.1.1", "lookout.example.com", "127.0.0", "127.0.0.256",
                      "127.example.com", "::ffff:10.0.0.1"])
    func exposedHosts(host: String) {
        #expect(!LoopbackHost.contains(host))
    }
}
