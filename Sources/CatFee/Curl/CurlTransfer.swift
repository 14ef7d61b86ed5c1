internal import CCurl
import Foundation

/// One HTTP exchange on a libcurl easy handle, with its request headers and the response being received.
///
/// Ownership: the submitting task builds it, then hands it to ``CurlMultiLoop``; from then on only the loop thread
/// touches it (callbacks, completion, cleanup). That hand-off through the loop's lock is why it is `@unchecked
/// Sendable`.
final class CurlTransfer: @unchecked Sendable {
    /// The largest response body accepted; a bigger one fails the transfer (a misconfigured URL, not CatFee).
    static let maximumBodySize = 4 << 20

    /// The easy handle; cleaned up in `deinit`.
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    /// Requests actually written to a connection, counted by the pre-request callback. libcurl silently re-sends
    /// a request whose reused keep-alive connection turned out dead; this count makes that visible, and is 0 when
    /// no connection could be made at all.
    private var requestsSent = 0
    private var completion: (@Sendable (Result<CatFeeHTTPResponse, CatFeeTransportError>, Int) -> Void)?

    /// Builds an easy handle for `method` (`GET` or `POST` with an empty body) on `url` with `headers` lines.
    init?(
        method: String, url: String, headers: [String], userAgent: String, connectTimeout: Duration,
        requestTimeout: Duration,
        completion: @escaping @Sendable (Result<CatFeeHTTPResponse, CatFeeTransportError>, Int) -> Void
    ) {
        _ = CurlFunctions.globalInit
        guard let easy = curl_easy_init() else { return nil }
        self.easy = easy
        self.completion = completion
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        for line in headers {
            headerList = curl_slist_append(headerList, line)
        }
        let setInt = CurlFunctions.easySetoptInt
        let setPointer = CurlFunctions.easySetoptPointer
        _ = url.withCString { setPointer(easy, CURLOPT_URL, $0) }
        _ = userAgent.withCString { setPointer(easy, CURLOPT_USERAGENT, $0) }
        _ = setInt(easy, CURLOPT_PATH_AS_IS, 1)
        _ = setInt(easy, CURLOPT_NOSIGNAL, 1)
        _ = setInt(easy, CURLOPT_TCP_NODELAY, 1)
        _ = setInt(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = setInt(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout))
        _ = setInt(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(requestTimeout))
        _ = setPointer(easy, CURLOPT_HTTPHEADER, UnsafeRawPointer(headerList))
        _ = setPointer(easy, CURLOPT_ERRORBUFFER, UnsafeRawPointer(errorBuffer))
        if method == "POST" {
            _ = setInt(easy, CURLOPT_POSTFIELDSIZE, 0)
            _ = "".withCString { setPointer(easy, CURLOPT_COPYPOSTFIELDS, $0) }
        } else {
            _ = setInt(easy, CURLOPT_HTTPGET, 1)
        }
        let context = UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
        _ = setPointer(easy, CURLOPT_WRITEFUNCTION, unsafeBitCast(Self.writeCallback, to: UnsafeRawPointer.self))
        _ = setPointer(easy, CURLOPT_WRITEDATA, context)
        _ = setPointer(easy, CURLOPT_HEADERFUNCTION, unsafeBitCast(Self.headerCallback, to: UnsafeRawPointer.self))
        _ = setPointer(easy, CURLOPT_HEADERDATA, context)
        _ = setPointer(easy, CURLOPT_PREREQFUNCTION, unsafeBitCast(Self.prerequestCallback, to: UnsafeRawPointer.self))
        _ = setPointer(easy, CURLOPT_PREREQDATA, context)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Completes with libcurl's result code for this transfer (loop thread).
    func finish(code: CURLcode) {
        guard code == CURLE_OK else {
            if code == CURLE_OPERATION_TIMEDOUT {
                complete(.failure(.timeout))
            } else if bodyTooLarge {
                complete(.failure(.network("response body larger than \(Self.maximumBodySize) bytes")))
            } else {
                let detail = String(cString: errorBuffer)
                let summary = String(cString: curl_easy_strerror(code))
                let reason = detail.isEmpty ? summary : "\(summary): \(detail)"
                complete(.failure(.network("curl error \(code.rawValue): \(reason)")))
            }
            return
        }
        var code: Int = 0
        _ = withUnsafeMutablePointer(to: &code) { CurlFunctions.easyGetinfo(easy, CURLINFO_RESPONSE_CODE, $0) }
        complete(.success(CatFeeHTTPResponse(status: code, headers: headers, body: body)))
    }

    /// Completes without a response (shutdown, or the loop refused it).
    func fail(_ error: CatFeeTransportError) {
        complete(.failure(error))
    }

    private func complete(_ result: Result<CatFeeHTTPResponse, CatFeeTransportError>) {
        let completion = self.completion
        self.completion = nil
        completion?(result, requestsSent)
    }

    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= Self.maximumBodySize else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        var length = bytes.count
        while length > 0, bytes[length - 1] == 13 || bytes[length - 1] == 10 { length -= 1 }
        let line = UnsafeRawBufferPointer(rebasing: bytes[0..<length])
        if line.starts(with: "HTTP/".utf8) {
            // A new response block (after 100 Continue, for instance): earlier headers belong to it no more.
            headers.removeAll(keepingCapacity: true)
            let parts = String(decoding: line, as: UTF8.self).split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[..<colon]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]), as: UTF8.self)
        headers.append((name: name, value: String(value.trimmingSpacesAndTabs)))
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let components = duration.components
        return max(1, Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000))
    }

    private typealias Callback =
        @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int

    private typealias PrerequestCallback =
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<CChar>?, Int32, Int32
        )
        -> Int32

    /// Called by libcurl right before each request goes out on a connection (fresh or reused).
    private static let prerequestCallback: PrerequestCallback = { context, _, _, _, _ in
        if let context { Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().requestsSent += 1 }
        return Int32(CURL_PREREQFUNC_OK)
    }

    private static let writeCallback: Callback = { data, size, count, context in
        guard let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }

    private static let headerCallback: Callback = { data, size, count, context in
        guard let context else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: length))
        return length
    }
}
