internal import CSQLite

/// The process' heap, as glibc manages it.
public enum ProcessMemory {
    /// Returns freed heap memory to the system (`malloc_trim`). glibc otherwise keeps it, so the
    /// resident size would stay at its peak after a large structure is dropped.
    public static func returnFreedMemory() {
        _ = malloc_trim(0)
    }
}
