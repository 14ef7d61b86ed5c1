internal import CMicroHTTPD
import Foundation
import Locking

#if canImport(Glibc)
    import Glibc
#endif

/// Per-request state between libmicrohttpd callbacks; touched only by the connection's own thread.
private final class RequestContext {
    let rawTarget: [UInt8]
    let arrivalRealMs: Int64
    var headersSeen = false
    var body: [UInt8] = []

    init(rawTarget: [UInt8], arrivalRealMs: Int64) {
        self.rawTarget = rawTarget
        self.arrivalRealMs = arrivalRealMs
    }
}

/// The daemon handle, sendable because libmicrohttpd's daemon calls are thread-safe.
private struct DaemonHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// `MHD_RESPMEM_MUST_COPY`, which Swift does not import by name.
private let mustCopy = MHD_ResponseMemoryMode(rawValue: 2)!

/// Largest request body accepted (control endpoint JSON).
private let maximumBodyBytes = 1 << 20

/// Saves the raw target before libmicrohttpd decodes it; the result becomes the request's `req_cls`.
private let uriLogCallback:
    @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?) -> UnsafeMutableRawPointer? = {
        _, uri, _ in
        let raw =
            uri.map {
                Array(
                    UnsafeBufferPointer(
                        start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: strlen($0)))
            } ?? []
        let context = RequestContext(rawTarget: raw, arrivalRealMs: SimulatorClock.realNowMs())
        return Unmanaged.passRetained(context).toOpaque()
    }

/// Releases the request context.
private let completedCallback: MHD_RequestCompletedCallback = { _, _, requestContext, _ in
    guard let requestContext, let pointer = requestContext.pointee else { return }
    Unmanaged<RequestContext>.fromOpaque(pointer).release()
    requestContext.pointee = nil
}

/// The access handler: accumulates the body, then asks the engine and queues its answer.
private let accessHandler: MHD_AccessHandlerCallback = {
    engineCls, connection, _, method, _, uploadData, uploadDataSize, requestContext in
    guard let engineCls, let connection, let method, let requestContext, let contextPointer = requestContext.pointee
    else { return .NO }
    let context = Unmanaged<RequestContext>.fromOpaque(contextPointer).takeUnretainedValue()
    if !context.headersSeen {
        context.headersSeen = true
        return .YES
    }
    if let uploadDataSize, uploadDataSize.pointee > 0 {
        if let uploadData, context.body.count + uploadDataSize.pointee <= maximumBodyBytes {
            context.body.append(
                contentsOf: UnsafeRawBufferPointer(start: uploadData, count: uploadDataSize.pointee))
        }
        uploadDataSize.pointee = 0
        return .YES
    }
    let engine = Unmanaged<SimulatorEngine>.fromOpaque(engineCls).takeUnretainedValue()
    let response: SimulatorHTTPResponse
    if let target = String(validating: context.rawTarget, as: UTF8.self),
        target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
    {
        var headers: [String: String] = [:]
        for name in ["cf-access-key", "cf-access-timestamp", "cf-access-sign", "content-type"] {
            if let value = MHD_lookup_connection_value(connection, .HEADER_KIND, name) {
                headers[name] = String(cString: value)
            }
        }
        let request = SimulatorHTTPRequest(
            method: String(cString: method), rawTarget: target, headers: headers, body: context.body,
            arrivalRealMs: context.arrivalRealMs)
        response = engine.handle(request)
    } else {
        response = .envelope(400, code: 1, msg: "request target must be ASCII", subCode: "INVALID_PARAMETER")
    }
    if response.dropConnection { return .NO }
    return queue(response, engine: engine, on: connection)
}

private func queue(_ response: SimulatorHTTPResponse, engine: SimulatorEngine, on connection: OpaquePointer)
    -> MHD_Result
{
    var body = response.body
    guard
        let mhdResponse = body.withUnsafeMutableBytes({
            MHD_create_response_from_buffer($0.count, $0.baseAddress, mustCopy)
        })
    else { return .NO }
    defer { MHD_destroy_response(mhdResponse) }
    let now = SimulatorClock.realNowMs() + Int64(engine.faults.clockOffsetMs)
    _ = MHD_add_response_header(mhdResponse, "Date", SimulatorClock.formatHTTPDate(now))
    for (name, value) in response.headers { _ = MHD_add_response_header(mhdResponse, name, value) }
    return MHD_queue_response(connection, UInt32(response.status), mhdResponse)
}

/// A libmicrohttpd daemon serving a ``SimulatorEngine``: one thread per connection, HTTP/1.1 keep-alive.
///
/// Owns the daemon (and through it the listening socket); ``stop()`` is idempotent and waits for connection threads.
final class MicroHTTPDServer: Sendable {
    /// The bound port.
    let port: UInt16
    private let engine: SimulatorEngine
    private let daemon: Locked<DaemonHandle?>

    /// Binds `host:port` and starts serving `engine`; throws ``SimulatorError`` when the address is unusable.
    init(engine: SimulatorEngine, host: String, port: UInt16) throws {
        self.engine = engine
        let (socketFD, boundPort) = try Self.listen(host: host, port: port)
        let flags =
            MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_THREAD_PER_CONNECTION.rawValue
            | MHD_USE_SUPPRESS_DATE_NO_CLOCK.rawValue
        var options = [
            MHD_OptionItem(option: .LISTEN_SOCKET, value: Int(socketFD), ptr_value: nil),
            MHD_OptionItem(option: .CONNECTION_LIMIT, value: 1000, ptr_value: nil),
            MHD_OptionItem(option: .CONNECTION_TIMEOUT, value: 30, ptr_value: nil),
            MHD_OptionItem(
                option: .URI_LOG_CALLBACK, value: unsafeBitCast(uriLogCallback, to: Int.self),
                ptr_value: nil),
            MHD_OptionItem(
                option: .NOTIFY_COMPLETED, value: unsafeBitCast(completedCallback, to: Int.self),
                ptr_value: nil),
            MHD_OptionItem(option: .END, value: 0, ptr_value: nil),
        ]
        let engineCls = Unmanaged.passUnretained(engine).toOpaque()
        let started = options.withUnsafeMutableBufferPointer { buffer in
            withVaList([
                Int32(bitPattern: MHD_OPTION.ARRAY.rawValue), buffer.baseAddress!,
                Int32(bitPattern: MHD_OPTION.END.rawValue),
            ]) {
                MHD_start_daemon_va(flags, 0, nil, nil, accessHandler, engineCls, $0)
            }
        }
        guard let started else {
            close(socketFD)
            throw SimulatorError("libmicrohttpd could not start on \(host):\(boundPort)")
        }
        self.port = boundPort
        self.daemon = Locked(DaemonHandle(pointer: started))
    }

    /// Stops the daemon (closing the listening socket); later calls do nothing.
    func stop() {
        guard
            let handle = daemon.withLock({ handle -> DaemonHandle? in
                defer { handle = nil }
                return handle
            })
        else { return }
        MHD_stop_daemon(handle.pointer)
    }

    deinit { stop() }

    private static func listen(host: String, port: UInt16) throws -> (Int32, UInt16) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw SimulatorError("--host \(host) is not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SimulatorError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 1024) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw SimulatorError("cannot listen on \(host):\(port): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: actual.sin_port))
    }
}
