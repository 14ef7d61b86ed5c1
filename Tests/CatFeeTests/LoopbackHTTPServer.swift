import Foundation
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 for transport tests: records every request head, answers by a script.
final class LoopbackHTTPServer: Sendable {
    /// What to do with the n-th request (0-based).
    enum Action: Sendable {
        case respond(status: Int, headers: [String], body: String, delay: Duration = .zero)
        case close
    }

    let port: UInt16
    private let listener: Int32
    private let recorded = Mutex<[String]>([])
    private let arrivals = Mutex<[ContinuousClock.Instant]>([])
    private let counter = Mutex(0)
    private let connections = Mutex(0)
    private let script: @Sendable (Int) -> Action

    init(script: @escaping @Sendable (Int) -> Action) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        Thread { [self] in acceptLoop() }.start()
    }

    /// The base URL of this server.
    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Every request head received, in order (request line and headers, CRLF-separated).
    var requests: [String] { recorded.withLock { $0 } }
    /// How many TCP connections were accepted.
    var connectionCount: Int { connections.withLock { $0 } }
    /// When each request arrived.
    var arrivalTimes: [ContinuousClock.Instant] { arrivals.withLock { $0 } }

    func stop() {
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            connections.withLock { $0 += 1 }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            while !containsHeadEnd(buffer) {
                let count = read(connection, &chunk, chunk.count)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk[0..<count])
            }
            let end = headEnd(buffer)
            let head = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 4)
            recorded.withLock { $0.append(head) }
            arrivals.withLock { $0.append(.now) }
            let index = counter.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            switch script(index) {
            case .close:
                return
            case .respond(let status, let headers, let body, let delay):
                if delay > .zero {
                    Thread.sleep(
                        forTimeInterval: Double(delay.components.seconds) + 0.001
                            * Double(delay.components.attoseconds / 1_000_000_000_000_000))
                }
                var text = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.utf8.count)\r\n"
                for header in headers { text += header + "\r\n" }
                text += "\r\n" + body
                let bytes = Array(text.utf8)
                guard write(connection, bytes, bytes.count) == bytes.count else { return }
            }
        }
    }

    private func containsHeadEnd(_ buffer: [UInt8]) -> Bool { headEnd(buffer) >= 0 && !buffer.isEmpty }

    private func headEnd(_ buffer: [UInt8]) -> Int {
        guard buffer.count >= 4 else { return -1 }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return -1
    }
}
