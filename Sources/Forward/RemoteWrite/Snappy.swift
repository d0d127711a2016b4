internal import CSnappy

/// Snappy block compression (not the framed stream format), as remote write requires, through
/// Debian's libsnappy. Output buffers are reused between calls.
struct SnappyCompressor {
    private var output: [UInt8] = []

    /// Compresses `input`; the result is valid until the next call.
    mutating func compress(_ input: [UInt8]) -> ArraySlice<UInt8> {
        let capacity = snappy_max_compressed_length(input.count)
        if output.count < capacity { output = [UInt8](repeating: 0, count: capacity) }
        var length = capacity
        let status = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { target in
                snappy_compress(source.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                target.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        // snappy_compress only fails on a too-small output buffer, which max_compressed_length rules out.
        precondition(status == SNAPPY_OK, "snappy_compress failed")
        return output[0..<length]
    }

    /// Decompresses a snappy block; nil if it is malformed. For tests and benchmark sinks.
    static func decompress(_ input: [UInt8]) -> [UInt8]? {
        var length = 0
        let ok = input.withUnsafeBytes { source in
            snappy_uncompressed_length(source.baseAddress?.assumingMemoryBound(to: CChar.self), input.count, &length)
        }
        guard ok == SNAPPY_OK else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        let status = input.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { target in
                snappy_uncompress(source.baseAddress?.assumingMemoryBound(to: CChar.self), input.count,
                                  target.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        guard status == SNAPPY_OK else { return nil }
        return Array(out[0..<length])
    }
}
