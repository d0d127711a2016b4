#if canImport(Glibc)
import Glibc
#endif

/// The Go client's process collector, read from /proc: resident and virtual memory, CPU time,
/// open and maximum file descriptors, start time.
enum ProcessMetrics {
    static func write(to out: inout MetricsText) {
        guard let stat = readFile("/proc/self/stat") else { return }
        // Fields after the parenthesised command name, which may itself contain spaces.
        guard let close = stat.lastIndex(of: ")") else { return }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); utime is field 14, stime 15, starttime 22, vsize 23, rss 24.
        func field(_ number: Int) -> Double { fields.count > number - 3 ? Double(fields[number - 3]) ?? 0 : 0 }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        out.single("process_cpu_seconds_total", .counter, help: "Total user and system CPU time spent in seconds.",
                   (field(14) + field(15)) / ticks)
        out.single("process_open_fds", .gauge, help: "Number of open file descriptors.", Double(openDescriptors()))
        if let max = maxDescriptors() {
            out.single("process_max_fds", .gauge, help: "Maximum number of open file descriptors.", max)
        }
        out.single("process_virtual_memory_bytes", .gauge, help: "Virtual memory size in bytes.", field(23))
        out.single("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.", field(24) * pageSize)
        if let boot = bootTime() {
            out.single("process_start_time_seconds", .gauge,
                       help: "Start time of the process since unix epoch in seconds.", boot + field(22) / ticks)
        }
    }

    private static func openDescriptors() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let first = withUnsafeBytes(of: entry.pointee.d_name) { $0.first ?? 0 }
            if first != UInt8(ascii: ".") { count += 1 }
        }
        return max(0, count - 1)   // the directory handle opened just now
    }

    private static func maxDescriptors() -> Double? {
        guard let limits = readFile("/proc/self/limits") else { return nil }
        for line in limits.split(separator: "\n") where line.hasPrefix("Max open files") {
            let parts = line.dropFirst("Max open files".count).split(separator: " ")
            return parts.first.flatMap { Double($0) }
        }
        return nil
    }

    private static func bootTime() -> Double? {
        guard let stat = readFile("/proc/stat") else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefixSpaces())
        }
        return nil
    }

    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate func trimmingPrefixSpaces() -> Substring { drop { $0 == " " } }
}
