/// Parsers for the procfs files host metrics read. Each takes the file's text and returns
/// `(series name, extra labels, value)` triples; the caller adds `instance` and the timestamp.
enum ProcParsers {
    typealias Metric = (name: String, labels: [(String, String)], value: Double)

    /// `/proc/meminfo`: every `Key: N kB` line → `node_memory_<Key>_bytes`, as node_exporter names
    /// them (`Active(anon)` → `Active_anon`).
    static func meminfo(_ text: String) -> [Metric] {
        var metrics: [Metric] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, fields[0].hasSuffix(":"), let number = Double(fields[1]) else { continue }
            var key = String(fields[0].dropLast())
            key = String(key.map { $0 == "(" ? "_" : $0 }.filter { $0 != ")" })
            let isKB = fields.count >= 3 && fields[2] == "kB"
            metrics.append(("node_memory_\(key)\(isKB ? "_bytes" : "")", [], isKB ? number * 1024 : number))
        }
        return metrics
    }

    static let cpuModes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]

    /// `/proc/stat`: `cpuN` lines → `node_cpu_seconds_total{cpu="N",mode=…}` from ticks of `ticksPerSecond`.
    static func stat(_ text: String, ticksPerSecond: Double) -> [Metric] {
        var metrics: [Metric] = []
        for line in text.split(separator: "\n") where line.hasPrefix("cpu") && !line.hasPrefix("cpu ") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let cpu = String(fields[0].dropFirst(3))
            for (index, mode) in cpuModes.enumerated() where index + 1 < fields.count {
                guard let ticks = Double(fields[index + 1]) else { continue }
                metrics.append(("node_cpu_seconds_total", [("cpu", cpu), ("mode", mode)], ticks / ticksPerSecond))
            }
        }
        return metrics
    }

    /// `/proc/loadavg` → `node_load1`, `node_load5`, `node_load15`.
    static func loadavg(_ text: String) -> [Metric] {
        let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard fields.count == 3 else { return [] }
        return [("node_load1", [], fields[0]), ("node_load5", [], fields[1]), ("node_load15", [], fields[2])]
    }

    struct Mount: Equatable {
        let device: String
        let mountpoint: String
        let fstype: String
    }

    /// node_exporter's default `--collector.filesystem.fs-types-exclude`.
    static let pseudoFilesystems: Set<String> = [
        "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
        "fusectl", "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore",
        "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tracefs",
    ]

    /// `/proc/mounts` → real filesystems, first mount of each mountpoint wins; pseudo filesystems and
    /// mounts under `/dev`, `/proc`, `/sys` are skipped as node_exporter does by default.
    static func mounts(_ text: String) -> [Mount] {
        var result: [Mount] = []
        var seen = Set<String>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mount = Mount(device: unescape(fields[0]), mountpoint: unescape(fields[1]), fstype: String(fields[2]))
            guard !pseudoFilesystems.contains(mount.fstype), !isSystemPath(mount.mountpoint),
                  seen.insert(mount.mountpoint).inserted else { continue }
            result.append(mount)
        }
        return result
    }

    private static func isSystemPath(_ path: String) -> Bool {
        ["/dev", "/proc", "/sys", "/run/credentials"].contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// Undoes the kernel's octal escapes in mount fields (`\040` is a space).
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var utf8 = Array(field.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "\\"), utf8.count >= 4,
               let code = UInt8(String(decoding: utf8.dropFirst().prefix(3), as: UTF8.self), radix: 8) {
                bytes.append(code)
                utf8 = utf8.dropFirst(4)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
