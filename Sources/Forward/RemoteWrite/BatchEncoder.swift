import Model

/// Turns pending samples into backlog batches: write relabelling, sharding by series, chunking by
/// `max_samples_per_send`, protobuf encoding and snappy compression. Owned by one task; its
/// buffers are reused from one flush to the next.
struct BatchEncoder {
    let shards: Int
    let maxSamplesPerSend: Int
    let relabeler: WriteRelabeler
    private var encoder: WriteRequestEncoder
    private var compressor = SnappyCompressor()
    private var perShard: [[LabeledSample]]

    init(shards: Int, maxSamplesPerSend: Int, relabeler: WriteRelabeler, externalLabels: Labels) {
        self.shards = max(shards, 1)
        self.maxSamplesPerSend = max(maxSamplesPerSend, 1)
        self.relabeler = relabeler
        encoder = WriteRequestEncoder(externalLabels: externalLabels)
        perShard = Array(repeating: [], count: max(shards, 1))
    }

    /// The encoded batches for `pending`, in order within each shard.
    mutating func encode(_ pending: [[LabeledSample]]) -> [EncodedBatch] {
        for index in perShard.indices { perShard[index].removeAll(keepingCapacity: true) }
        for batch in pending {
            for sample in batch where relabeler.isEmpty || relabeler.keeps(sample.labels) {
                perShard[shards == 1 ? 0 : Self.shard(of: sample.labels, among: shards)].append(sample)
            }
        }
        var out: [EncodedBatch] = []
        for shard in perShard.indices {
            var start = 0
            let samples = perShard[shard]
            while start < samples.count {
                let chunk = samples[start..<min(start + maxSamplesPerSend, samples.count)]
                out.append(encodeChunk(chunk, shard: shard))
                start += chunk.count
            }
        }
        return out
    }

    private mutating func encodeChunk(_ chunk: ArraySlice<LabeledSample>, shard: Int) -> EncodedBatch {
        var oldest = Timestamp.max, newest = Timestamp.min
        for sample in chunk {
            oldest = min(oldest, sample.sample.timestamp)
            newest = max(newest, sample.sample.timestamp)
        }
        encoder.encode(chunk)
        let payload = Array(compressor.compress(encoder.bytes))
        return EncodedBatch(shard: shard, samples: chunk.count, oldest: oldest, newest: newest, payload: payload)
    }

    /// A stable shard for a series (FNV-1a over its labels): the same series lands in the same shard
    /// across restarts, so each series' samples stay in time order on the wire.
    static func shard(of labels: Labels, among shards: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        labels.withBytes { view in
            for index in 0..<view.count {
                for byte in view.name(index) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                hash = (hash ^ 0xff) &* 0x100_0000_01b3
                for byte in view.value(index) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
                hash = (hash ^ 0xff) &* 0x100_0000_01b3
            }
        }
        return Int(hash % UInt64(shards))
    }
}
