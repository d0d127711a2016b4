/// Host metrics of this machine (`host_metrics: true`), with node_exporter's series names.
public struct HostMetricsSpec: Sendable, Hashable {
    /// The `instance` label on every series.
    public var instance: String
    /// How often the host is read.
    public var interval: Duration = .seconds(15)
    /// Where procfs is mounted; tests point this at a directory of fixture files.
    public var procRoot = "/proc"

    /// Host metrics labelled `instance=<instance>`, every 15 s.
    public init(instance: String) {
        self.instance = instance
    }
}
