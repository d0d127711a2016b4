import CCurl
import Glibc

/// One libcurl easy handle with everything it points at: buffers, header lists, the error
/// buffer and the continuation of the task waiting for it.
///
/// `@unchecked Sendable` because ownership moves, never sharing: the submitting task
/// configures it, then only the loop thread touches it until it resumes the continuation, after
/// which only the resumed task reads it.
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    let errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    var body: [UInt8] = []
    var headerLines: [String] = []
    var maxBodyBytes: Int?
    var exceededBodyLimit = false
    /// On reaching `maxBodyBytes`, keep what fits before stopping (see `HTTPRequest.truncateBody`).
    var truncateBody = false
    var upload: [UInt8] = []
    var uploadOffset = 0
    /// Read the peer certificates' expiry at each response (see `notePeerCertificates`).
    var captureExpiry = false
    var peerExpiry: UnixTime?
    var sessionResumed: Bool?

    var continuation: CheckedContinuation<CURLcode, any Error>?
    /// Set on the loop thread when a cancel command arrives, possibly before the add.
    var cancelRequested = false

    init() throws(CurlError) {
        CurlGlobal.ensureInitialised()
        guard let handle = curl_easy_init() else {
            throw CurlError(kind: .other, code: -1, message: "curl_easy_init failed")
        }
        easy = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = lk_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = lk_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        // Debian's built-in CApath disables libcurl's CA store cache: 20x the CPU per handshake.
        _ = lk_easy_setopt_pointer(easy, CURLOPT_CAPATH, nil)
        _ = lk_easy_setopt_write_function(easy, transferWriteBody)
        _ = lk_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = lk_easy_setopt_header_function(easy, transferWriteHeader)
        _ = lk_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context)
    }

    deinit {
        curl_easy_cleanup(easy)
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check(lk_easy_setopt_long(easy, option, value), option)
    }

    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        try check(lk_easy_setopt_string(easy, option, value), option)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(CurlError) {
        try check(lk_easy_setopt_off(easy, option, curl_off_t(value)), option)
    }

    /// Sets a string-list option; the list lives as long as the transfer.
    func set(_ option: CURLoption, list items: [String]) throws(CurlError) {
        guard !items.isEmpty else { return }
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items {
            guard let next = curl_slist_append(list, item) else {
                if let list { curl_slist_free_all(list) }
                throw CurlError(kind: .other, code: -1, message: "curl_slist_append failed")
            }
            list = next
        }
        guard let list else { return }
        lists.append(list)
        try check(lk_easy_setopt_slist(easy, option, list), option)
    }

    /// Streams `bytes` as the upload body through the read callback.
    func setUpload(_ bytes: [UInt8]) throws(CurlError) {
        upload = bytes
        uploadOffset = 0
        try check(lk_easy_setopt_read_function(easy, transferReadUpload), CURLOPT_READFUNCTION)
        try check(lk_easy_setopt_pointer(easy, CURLOPT_READDATA, Unmanaged.passUnretained(self).toOpaque()), CURLOPT_READDATA)
        try set(CURLOPT_UPLOAD, 1)
        try set(CURLOPT_INFILESIZE_LARGE, offset: Int64(bytes.count))
    }

    private func check(_ rc: CURLcode, _ option: CURLoption) throws(CurlError) {
        guard rc == CURLE_OK else {
            throw CurlError(kind: .invalidRequest, code: Int(rc.rawValue),
                            message: "setting curl option \(option.rawValue): \(String(cString: curl_easy_strerror(rc)))")
        }
    }

    func resume(returning code: CURLcode) {
        continuation?.resume(returning: code)
        continuation = nil
    }

    func resume(throwing error: any Error) {
        continuation?.resume(throwing: error)
        continuation = nil
    }

    /// The text libcurl wrote into the error buffer for the last failure, if any.
    var errorText: String {
        String(cString: errorBuffer)
    }

    func info(_ item: CURLINFO) -> Int {
        var value = 0
        _ = lk_easy_getinfo_long(easy, item, &value)
        return value
    }

    func info(offset item: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        _ = lk_easy_getinfo_off(easy, item, &value)
        return Int64(value)
    }

    func info(string item: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard lk_easy_getinfo_string(easy, item, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

private let transferWriteBody: curl_write_callback = { pointer, size, count, userdata in
    let n = size &* count
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    if let limit = transfer.maxBodyBytes, transfer.body.count + n > limit {
        transfer.exceededBodyLimit = true
        if transfer.truncateBody {
            transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: max(0, limit - transfer.body.count)))
        }
        return 0  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
    }
    transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: pointer, count: n))
    return n
}

private let transferWriteHeader: curl_write_callback = { pointer, size, count, userdata in
    let n = size &* count
    guard let pointer, let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let bytes = UnsafeRawBufferPointer(start: pointer, count: n)
    transfer.notePeerCertificates(statusLine: bytes)
    transfer.headerLines.append(String(decoding: bytes, as: UTF8.self))
    return n
}

private let transferReadUpload: curl_read_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size &* count, transfer.upload.count - transfer.uploadOffset)
    guard n > 0 else { return 0 }
    transfer.upload.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + transfer.uploadOffset, byteCount: n)
    }
    transfer.uploadOffset += n
    return n
}
