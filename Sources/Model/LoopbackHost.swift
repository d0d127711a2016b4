/// Host names that reach this machine only.
public enum LoopbackHost {
    /// Whether `host` is `localhost`, an address in `127.0.0.0/8` or `::1` (brackets allowed,
    /// case ignored). An empty host means every interface, so it is not loopback.
    public static func contains(_ host: String) -> Bool {
        let lowered = host.lowercased()
        let bare = lowered.hasPrefix("[") && lowered.hasSuffix("]") ? String(lowered.dropFirst().dropLast()) : lowered
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
