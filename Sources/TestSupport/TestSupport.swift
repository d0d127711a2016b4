// The TestSupport stage: see ARCHITECTURE.md for what it owns and what it may import.

/// A host name that never resolves and never reaches the network: its first label is 64 bytes,
/// one over DNS's limit, so the resolver refuses to build a query and fails at once. A name such
/// as `nowhere.invalid` is only unresolvable after a query to the machine's DNS server, and tests
/// send traffic to loopback only.
public let unresolvableHost = String(repeating: "x", count: 64) + ".invalid"
