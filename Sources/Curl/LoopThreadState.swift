import CCurl

/// What only the loop thread touches: the transfers currently inside the multi handle.
struct LoopThreadState {
    let multi: UnsafeMutableRawPointer
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    init(multi: UnsafeMutableRawPointer) {
        self.multi = multi
    }

    mutating func handle(_ command: LoopCore.Command) {
        switch command {
        case .add(let transfer):
            if transfer.cancelRequested {
                transfer.resume(throwing: CancellationError())
                return
            }
            let rc = curl_multi_add_handle(multi, transfer.easy)
            guard rc == CURLM_OK else {
                let text = String(cString: curl_multi_strerror(rc))
                transfer.resume(throwing: CurlError(kind: .other, code: -1, message: "curl_multi_add_handle: \(text)"))
                return
            }
            active[transfer.easy] = transfer
        case .cancel(let transfer):
            transfer.cancelRequested = true
            if active.removeValue(forKey: transfer.easy) != nil {
                curl_multi_remove_handle(multi, transfer.easy)
                transfer.resume(throwing: CancellationError())
            }
        }
    }

    /// Lets libcurl do all due work, then completes every transfer it reports as done.
    mutating func performAndCollect() {
        var running: Int32 = 0
        curl_multi_perform(multi, &running)
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            guard let transfer = active.removeValue(forKey: easy) else { continue }
            transfer.resume(returning: code)
        }
    }

    /// Fails every transfer still in flight; used when the loop stops.
    mutating func failAll() {
        for transfer in active.values {
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.resume(throwing: CurlError(kind: .cancelled, code: -1, message: "curl loop stopped"))
        }
        active.removeAll()
    }
}
