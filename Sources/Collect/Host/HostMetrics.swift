import Glibc
import Model

/// Reads memory, CPU, load and filesystem figures of this machine into one batch.
struct HostMetrics: Sendable {
    let spec: HostMetricsSpec

    /// The batch and the files that could not be read (a missing file skips its metrics).
    func collect(at timestamp: Timestamp) -> (batch: [LabeledSample], problems: [String]) {
        var metrics: [ProcParsers.Metric] = []
        var problems: [String] = []
        func read(_ name: String) -> String? {
            let path = spec.procRoot + "/" + name
            guard let text = Self.readFile(path) else { problems.append("cannot read \(path)"); return nil }
            return text
        }
        if let text = read("meminfo") { metrics += ProcParsers.meminfo(text) }
        if let text = read("stat") { metrics += ProcParsers.stat(text, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK)))) }
        if let text = read("loadavg") { metrics += ProcParsers.loadavg(text) }
        if let text = read("mounts") { metrics += filesystems(ProcParsers.mounts(text)) }
        let instance = Label("instance", spec.instance)
        let batch = metrics.map { metric in
            var labels = [Label(Labels.metricName, metric.name), instance]
            for (name, value) in metric.labels { labels.append(Label(name, value)) }
            return LabeledSample(Labels(labels), Sample(timestamp, metric.value))
        }
        return (batch, problems)
    }

    private func filesystems(_ mounts: [ProcParsers.Mount]) -> [ProcParsers.Metric] {
        var metrics: [ProcParsers.Metric] = []
        for mount in mounts {
            var stats = statvfs()
            guard statvfs(mount.mountpoint, &stats) == 0 else { continue }
            let labels = [("device", mount.device), ("fstype", mount.fstype), ("mountpoint", mount.mountpoint)]
            let unit = Double(stats.f_frsize)
            metrics.append(("node_filesystem_size_bytes", labels, Double(stats.f_blocks) * unit))
            metrics.append(("node_filesystem_avail_bytes", labels, Double(stats.f_bavail) * unit))
            metrics.append(("node_filesystem_free_bytes", labels, Double(stats.f_bfree) * unit))
            metrics.append(("node_filesystem_files", labels, Double(stats.f_files)))
            metrics.append(("node_filesystem_files_free", labels, Double(stats.f_ffree)))
        }
        return metrics
    }

    /// The whole file; procfs files report size 0, so read until end of file.
    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
