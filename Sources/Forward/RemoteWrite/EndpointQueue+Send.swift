import Curl
import Foundation
import Logging
import Model

extension EndpointQueue {
    /// Sends one claimed batch until the receiver accepts or refuses it, or it ages out.
    /// Returns false when cancelled (the batch stays queued).
    func send(_ row: BacklogRow) async -> Bool {
        var failures = 0
        while true {
            if row.batch.newest < clock() - endpoint.queue.maxBacklogAge {
                finish(row, remove: true)
                counters.add(dropped: row.batch.samples)
                logger.warning("remote-write batch older than max_backlog_age; dropped",
                               metadata: ["samples": "\(row.batch.samples)", "attempts": "\(failures)"])
                return true
            }
            guard let result = await attempt(row) else {
                finish(row, remove: false)
                return false
            }
            let (outcome, problem) = result
            switch outcome {
            case .sent:
                finish(row, remove: true)
                counters.add(sent: row.batch.samples)
                if failures > 0 { logger.info("remote write recovered", metadata: ["attempts": "\(failures + 1)"]) }
                return true
            case .reject:
                finish(row, remove: true)
                counters.add(failed: row.batch.samples)
                return true
            case .retry(let retryAfter):
                failures += 1
                // One warning per outage, not one per retry.
                logger.log(level: failures == 1 ? .warning : .debug, "remote write failing; retrying with backoff",
                           metadata: ["problem": "\(problem ?? "")", "attempts": "\(failures)"])
                let delay = retry.delay(failures: failures, retryAfter: retryAfter) { Double.random(in: 0..<1) }
                do {
                    try await Task.sleep(for: .milliseconds(delay))
                } catch {
                    finish(row, remove: false)
                    return false
                }
            }
        }
    }

    /// One POST of the batch and, unless accepted, why not; nil when cancelled.
    private func attempt(_ row: BacklogRow) async -> (SendOutcome, String?)? {
        var request = HTTPRequest(url: endpoint.url)
        request.method = "POST"
        request.headers = endpoint.headers
        request.body = row.batch.payload
        request.timeout = requestTimeout
        request.maxBodyBytes = 1 << 20
        do {
            let response = try await loop.perform(request)
            counters.add(bytes: row.batch.payload.count)
            let outcome = SendOutcome.classify(status: response.status, retryAfter: response.header("Retry-After"), now: clock())
            if outcome == .reject {
                logger.error("remote-write receiver refused a batch; dropped, not retried", metadata: [
                    "status": "\(response.status)", "samples": "\(row.batch.samples)",
                    "response": "\(Self.excerpt(response.body))",
                ])
            }
            return (outcome, outcome == .sent ? nil : "HTTP \(response.status): \(Self.excerpt(response.body))")
        } catch let error as CurlError {
            if error.kind == .cancelled || Task.isCancelled { return nil }
            // No answer at all (refused, timed out, TLS): the receiver may come back, so retry.
            return (.retry(after: nil), error.description)
        } catch {
            return nil
        }
    }

    private func finish(_ row: BacklogRow, remove: Bool) {
        do {
            try backlog.finish(endpoint.key, row, remove: remove)
        } catch {
            logger.error("cannot update the remote-write backlog", metadata: ["error": "\(error)"])
        }
    }

    /// The start of a receiver's answer, for the log.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return body.count > 512 ? text + "…" : text
    }
}
