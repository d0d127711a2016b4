/// A node_exporter-like payload of about `targetBytes`: HELP/TYPE per family, per-CPU, per-device
/// and per-mount series with realistic label sets and values.
enum NodeExporterPayload {
    static func generate(targetBytes: Int = 1 << 20) -> [UInt8] {
        var out = ""
        out.reserveCapacity(targetBytes + 4096)
        var rng = UInt64(42)
        func value() -> String {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let mantissa = Double(rng >> 11) / Double(1 << 53)
            switch rng % 4 {
            case 0: return String(Int(mantissa * 100_000))
            case 1: return String(mantissa * 1e4)
            case 2: return "\(mantissa * 9.99)e+09"
            default: return String(mantissa)
            }
        }
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        var round = 0
        while out.utf8.count < targetBytes {
            let host = "r\(round)"
            family("node_cpu_seconds_total_\(host)", "counter", "Seconds the CPUs spent in each mode.")
            for cpu in 0..<32 {
                for mode in ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"] {
                    out += "node_cpu_seconds_total_\(host){cpu=\"\(cpu)\",mode=\"\(mode)\"} \(value())\n"
                }
            }
            for metric in ["receive_bytes", "receive_packets", "receive_errs", "transmit_bytes", "transmit_packets", "transmit_errs"] {
                family("node_network_\(metric)_total_\(host)", "counter", "Network device statistic \(metric).")
                for device in ["eth0", "eth1", "lo", "docker0", "veth1a2b3c4", "wlan0"] {
                    out += "node_network_\(metric)_total_\(host){device=\"\(device)\"} \(value())\n"
                }
            }
            for metric in ["avail_bytes", "free_bytes", "size_bytes", "files", "files_free", "readonly"] {
                family("node_filesystem_\(metric)_\(host)", "gauge", "Filesystem \(metric).")
                for (device, mount, fstype) in [("/dev/nvme0n1p2", "/", "ext4"), ("/dev/nvme0n1p1", "/boot/efi", "vfat"),
                                                ("tmpfs", "/run", "tmpfs"), ("tmpfs", "/run/user/1000", "tmpfs"),
                                                ("/dev/sda1", "/var/lib/docker", "xfs")] {
                    out += "node_filesystem_\(metric)_\(host){device=\"\(device)\",fstype=\"\(fstype)\",mountpoint=\"\(mount)\"} \(value())\n"
                }
            }
            for field in ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree", "Dirty"] {
                family("node_memory_\(field)_bytes_\(host)", "gauge", "Memory information field \(field)_bytes.")
                out += "node_memory_\(field)_bytes_\(host) \(value())\n"
            }
            family("node_disk_io_time_seconds_total_\(host)", "counter", "Total seconds spent doing I/Os.")
            for disk in ["nvme0n1", "sda", "sdb", "dm-0"] {
                out += "node_disk_io_time_seconds_total_\(host){device=\"\(disk)\"} \(value())\n"
            }
            round += 1
        }
        return Array(out.utf8)
    }
}
