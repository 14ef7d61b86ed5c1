import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 server for `/healthz`, `/readyz` and `/metrics`.
///
/// Three GET endpoints with tiny bodies do not justify an HTTP library in the worker: one accept thread reads the
/// request line, answers and closes the connection (Prometheus and kubelet probes open one connection per scrape).
/// Requests are bounded (8 KiB, 2 s read timeout), so a slow or hostile client cannot hold the thread for long.
public final class HealthServer: Sendable {
    /// A response: status code, content type and body.
    public struct Response: Sendable {
        /// HTTP status.
        public var status: Int
        /// Content type.
        public var contentType: String
        /// Body.
        public var body: String

        /// Creates a response.
        public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    private let socketDescriptor: Int32
    private let handler: @Sendable (String) -> Response
    private let stopped = Atomic<Bool>(false)
    /// The bound port (useful when 0 was asked for).
    public let port: UInt16

    /// Binds `host:port` and starts serving; `handler` maps a path to a response.
    public init(host: String, port: UInt16, handler: @escaping @Sendable (String) -> Response) throws {
        self.handler = handler
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HealthServerError(reason: "socket() failed: errno \(errno)") }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let resolvedHost = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolvedHost, &address.sin_addr) == 1 else {
            close(descriptor)
            throw HealthServerError(reason: "HTTP_LISTEN host must be an IPv4 address, got '\(host)'")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            let code = errno
            close(descriptor)
            throw HealthServerError(reason: "cannot listen on \(host):\(port): \(String(cString: strerror(code)))")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.socketDescriptor = descriptor
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "catfee-health"
        thread.start()
    }

    /// Stops accepting connections.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(socketDescriptor, Int32(SHUT_RDWR))
        close(socketDescriptor)
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            let client = accept(socketDescriptor, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            serve(client)
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while request.count < 8192 {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { break }
            request.append(contentsOf: buffer[0..<count])
            if request.count >= 4, request.suffix(from: max(0, request.count - count - 3)).contains(0x0A) {
                if String(decoding: request, as: UTF8.self).contains("\r\n\r\n") { break }
            }
        }
        let text = String(decoding: request, as: UTF8.self)
        let requestLine = text.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = requestLine.split(separator: " ")
        let response: Response
        if parts.count >= 2, parts[0] == "GET" || parts[0] == "HEAD" {
            let target = String(parts[1])
            let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? target
            response = handler(path)
        } else {
            response = Response(status: 405, body: "method not allowed\n")
        }
        let reason =
            [200: "OK", 404: "Not Found", 405: "Method Not Allowed", 503: "Service Unavailable"][response.status]
            ?? "Status"
        let body = Array(response.body.utf8)
        let head =
            "HTTP/1.1 \(response.status) \(reason)\r\nContent-Type: \(response.contentType)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + (parts.first == "HEAD" ? [] : body)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            sent += count
        }
    }
}

/// The health server could not start.
public struct HealthServerError: Error, Sendable, CustomStringConvertible {
    /// Why.
    public var reason: String
    public var description: String { reason }
}
