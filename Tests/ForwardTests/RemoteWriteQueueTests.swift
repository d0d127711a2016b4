import Config
import Curl
import Foundation
import Logging
import Model
import Testing
import TestSupport
@testable import Forward

/// The whole path — queue, backlog, encoder, libcurl — against a real loopback receiver that
/// decodes snappy + protobuf.
@Suite(.serialized) struct RemoteWriteQueueTests {
    let loop: CurlLoop
    let directory: TemporaryDirectory

    init() throws {
        loop = try CurlLoop()
        directory = try TemporaryDirectory()
    }

    private func writer(_ logger: Logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }) -> RemoteWriter {
        RemoteWriter(dataDirectory: directory.path, loop: loop, userAgent: "Lookout/test", logger: logger,
                     options: RemoteWriteFixtures.options)
    }

    private func run(_ writer: RemoteWriter) -> Task<Void, Never> { Task { await writer.run() } }

    @Test func deliversEverySampleWithProtocolHeadersAuthAndExternalLabels() async throws {
        let receiver = try await RemoteWriteReceiver(loop: loop)
        let (logger, logs) = RecordingLogHandler.logger()
        let writer = writer(logger)
        let config = RemoteWriteFixtures.config(
            receiver.writeURL, auth: .bearerToken(Secret("s3cr3t-token")), headers: ["X-Scope-OrgID": Secret("tenant-1")],
            relabel: [RelabelRule(sourceLabels: ["series"], separator: ";", regex: "1.*", action: .drop)],
            maxSamplesPerSend: 7, shards: 3)
        try await writer.update([config], externalLabels: ["cluster": "eu-1"])
        let task = run(writer)
        let rounds = RemoteWriteFixtures.samples(series: 10, rounds: 4)
        for batch in rounds { writer.append(batch) }
        let expected = rounds.flatMap { $0 }.filter { !$0.labels["series"]!.hasPrefix("1") }
        #expect(try await eventually { try await receiver.acceptedSeries().count == expected.count })
        let got = try await receiver.acceptedSeries()
        let want = expected.map { DecodedSeries(labels: Array($0.labels.setting("cluster", to: "eu-1")), samples: [$0.sample]) }
        #expect(Set(got.map { "\($0)" }) == Set(want.map { "\($0)" }), "every kept sample once, external label added")
        // Per series, samples arrive in time order even across three shards.
        let bySeries = Dictionary(grouping: got, by: { $0.labels }).mapValues { $0.map(\.samples[0].timestamp) }
        #expect(bySeries.values.allSatisfy { $0 == $0.sorted() })
        let request = try #require(try await receiver.received().first)
        #expect(request.headers["Content-Encoding"] == "snappy")
        #expect(request.headers["Content-Type"] == "application/x-protobuf")
        #expect(request.headers["X-Prometheus-Remote-Write-Version"] == "0.1.0")
        #expect(request.headers["User-Agent"] == "Lookout/test")
        #expect(request.headers["Authorization"] == "Bearer s3cr3t-token")
        #expect(request.headers["X-Scope-OrgID"] == "tenant-1")
        #expect(try await receiver.received().allSatisfy { $0.series.count <= 7 })
        #expect(await eventually { writer.status().first?.samplesPending == 0 })
        let status = try #require(writer.status().first)
        #expect(status.samplesSent == expected.count && status.samplesFailed == 0 && status.samplesDropped == 0)
        #expect(status.shards == 3 && status.bytesSent > 0 && status.url == receiver.writeURL)
        task.cancel()
        await task.value
        #expect(!logs.text.contains("s3cr3t"))
    }

    @Test func retriesServerErrorsAndTooManyRequestsHonouringRetryAfter() async throws {
        let receiver = try await RemoteWriteReceiver(loop: loop)
        try await receiver.script([["status": 503, "body": "ingester down"], ["status": 429, "retry_after": "1"], ["status": 500]])
        let (logger, logs) = RecordingLogHandler.logger()
        let writer = writer(logger)
        try await writer.update([RemoteWriteFixtures.config(receiver.writeURL)], externalLabels: Labels())
        let task = run(writer)
        let started = ContinuousClock.now
        writer.append(RemoteWriteFixtures.samples(series: 5, rounds: 1)[0])
        #expect(try await eventually { try await receiver.acceptedSeries().count == 5 })
        #expect(ContinuousClock.now - started >= .seconds(1), "Retry-After: 1 was honoured")
        let statuses = try await receiver.received().map(\.status)
        #expect(statuses == [503, 429, 500, 200])
        #expect(writer.status().first?.samplesSent == 5)
        #expect(logs.text.contains("remote write failing; retrying with backoff"))
        #expect(logs.text.contains("remote write recovered"))
        task.cancel()
        await task.value
    }

    @Test func dropsBatchesRefusedWithOther4xxAndLogsTheAnswer() async throws {
        let receiver = try await RemoteWriteReceiver(loop: loop)
        try await receiver.script([["status": 400, "body": "out of order sample"]])
        let (logger, logs) = RecordingLogHandler.logger()
        let writer = writer(logger)
        try await writer.update([RemoteWriteFixtures.config(receiver.writeURL)], externalLabels: Labels())
        let task = run(writer)
        writer.append(RemoteWriteFixtures.samples(series: 4, rounds: 1)[0])
        #expect(await eventually { writer.status().first?.samplesFailed == 4 })
        writer.append(RemoteWriteFixtures.samples(series: 3, rounds: 1, start: RemoteWriteClock.now())[0])
        #expect(await eventually { writer.status().first?.samplesSent == 3 })
        #expect(try await receiver.received().map(\.status) == [400, 200], "the refused batch was not sent again")
        #expect(logs.text.contains("out of order sample"))
        #expect(writer.status().first?.samplesPending == 0)
        task.cancel()
        await task.value
    }

    @Test func backlogSurvivesARestartAndDrainsInOrder() async throws {
        // The receiver fails every write while the first writer runs. It keeps its port meanwhile:
        // a stopped one could see the port taken by another test's server, which would accept.
        let receiver = try await RemoteWriteReceiver(loop: loop, defaultStatus: 503)
        let first = writer()
        let config = RemoteWriteFixtures.config(receiver.writeURL, maxSamplesPerSend: 10, shards: 2)
        try await first.update([config], externalLabels: Labels())
        let task = run(first)
        let rounds = RemoteWriteFixtures.samples(series: 6, rounds: 5)
        for batch in rounds { first.append(batch) }
        #expect(await eventually { first.status().first?.samplesPending == 30 })
        first.append(RemoteWriteFixtures.samples(series: 6, rounds: 1, start: rounds[0][0].sample.timestamp + 5000)[0])
        task.cancel()
        await task.value   // stopping writes the last round, still in memory, to the backlog
        #expect(try await receiver.acceptedSeries().isEmpty)
        receiver.server.stop()

        let revived = try await RemoteWriteReceiver(loop: loop, port: receiver.server.port)
        let second = writer()
        // Another shard count: the old batches go first, in order, before the new shards start.
        try await second.update([RemoteWriteFixtures.config(revived.writeURL, maxSamplesPerSend: 10, shards: 3)], externalLabels: Labels())
        #expect(second.status().first?.samplesPending == 36)
        let task2 = run(second)
        #expect(try await eventually { try await revived.acceptedSeries().count == 36 })
        let got = try await revived.acceptedSeries()
        let bySeries = Dictionary(grouping: got, by: { $0.labels }).mapValues { $0.map(\.samples[0].timestamp) }
        #expect(bySeries.count == 6 && bySeries.values.allSatisfy { $0.count == 6 && $0 == $0.sorted() })
        #expect(await eventually { second.status().first?.samplesPending == 0 })
        task2.cancel()
        await task2.value
    }

    @Test func removedEndpointsLoseTheirBacklogAndKeptOnesKeepIt() async throws {
        let kept = RemoteWriteFixtures.config("http://127.0.0.1:9/kept")
        let gone = RemoteWriteFixtures.config("http://user:pw@127.0.0.1:9/gone")
        let writer = writer()
        try await writer.update([kept, gone], externalLabels: Labels())
        let task = run(writer)
        writer.append(RemoteWriteFixtures.samples(series: 2, rounds: 1)[0])
        #expect(await eventually { writer.status().allSatisfy { $0.samplesPending == 2 } })
        #expect(writer.status().map(\.url) == ["http://127.0.0.1:9/kept", "http://127.0.0.1:9/gone"], "no credentials in labels")
        try await writer.update([kept], externalLabels: Labels())
        #expect(writer.status().map(\.samplesPending) == [2])
        task.cancel()
        await task.value
        let backlog = try Backlog(path: RemoteWriter.backlogPath(dataDirectory: directory.path))
        #expect(backlog.totals("http://127.0.0.1:9/gone") == Backlog.Totals())
        #expect(backlog.totals("http://127.0.0.1:9/kept").samples == 2)
    }
}
