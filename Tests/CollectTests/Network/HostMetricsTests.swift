@testable import Collect
import Model
import Testing

@Suite("Host metrics from procfs")
struct HostMetricsTests {
    func collect(procRoot: String) -> [LabeledSample] {
        var spec = HostMetricsSpec(instance: "host-1")
        spec.procRoot = procRoot
        return HostMetrics(spec: spec).collect(at: 5_000).batch
    }

    func value(_ batch: [LabeledSample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        batch.first { sample in
            sample.labels[Labels.metricName] == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }?.sample.value
    }

    @Test func fixtureFilesGiveNodeExporterSeries() {
        let batch = collect(procRoot: CollectFixtures.testdata("proc"))
        #expect(value(batch, "node_memory_MemTotal_bytes") == Double(24_584_424 * 1024))
        #expect(value(batch, "node_memory_MemAvailable_bytes") == Double(20_000_000 * 1024))
        #expect(value(batch, "node_memory_Active_anon_bytes") == Double(123_456 * 1024))
        #expect(value(batch, "node_memory_HugePages_Total") == 0)
        #expect(value(batch, "node_cpu_seconds_total", ["cpu": "1", "mode": "idle"]) == 25)
        #expect(value(batch, "node_cpu_seconds_total", ["cpu": "0", "mode": "softirq"]) == 0.03)
        #expect(batch.filter { $0.labels[Labels.metricName] == "node_cpu_seconds_total" }.count == 16)
        #expect(value(batch, "node_load1") == 0.52)
        #expect(value(batch, "node_load15") == 0.30)
        #expect(batch.allSatisfy { $0.labels["instance"] == "host-1" && $0.sample.timestamp == 5_000 })
    }

    @Test func onlyRealFilesystemsAreReported() {
        let batch = collect(procRoot: CollectFixtures.testdata("proc"))
        let mountpoints = Set(batch.filter { $0.labels[Labels.metricName] == "node_filesystem_size_bytes" }
            .compactMap { $0.labels["mountpoint"] })
        // overlay, proc, sysfs, /dev/shm and cgroup2 are skipped; /mnt/with space does not exist here.
        #expect(mountpoints == ["/tmp"])
        let size = value(batch, "node_filesystem_size_bytes", ["mountpoint": "/tmp", "device": "/dev/root", "fstype": "ext4"])
        let avail = value(batch, "node_filesystem_avail_bytes", ["mountpoint": "/tmp"])
        #expect(size.map { $0 > 0 } == true)
        #expect(avail.map { $0 <= size! } == true)
    }

    @Test func mountFieldsAreUnescaped() {
        let mounts = ProcParsers.mounts("/dev/sdb1 /mnt/with\\040space ext4 rw 0 0\n")
        #expect(mounts == [ProcParsers.Mount(device: "/dev/sdb1", mountpoint: "/mnt/with space", fstype: "ext4")])
    }

    @Test func thisMachineHasMemoryAndCPU() {
        let batch = collect(procRoot: "/proc")
        #expect(value(batch, "node_memory_MemTotal_bytes").map { $0 > 0 } == true)
        #expect(value(batch, "node_cpu_seconds_total", ["cpu": "0", "mode": "user"]) != nil)
        #expect(value(batch, "node_load5") != nil)
    }

    @Test func missingProcFilesAreReportedNotFatal() {
        var spec = HostMetricsSpec(instance: "h")
        spec.procRoot = "/nonexistent-proc"
        let (batch, problems) = HostMetrics(spec: spec).collect(at: 0)
        #expect(batch.isEmpty)
        #expect(problems.count == 4)
    }
}
