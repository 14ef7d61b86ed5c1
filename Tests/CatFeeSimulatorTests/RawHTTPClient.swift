import Foundation
import JSON

#if canImport(Glibc)
    import Glibc
#endif

/// A response read by ``RawHTTPClient``.
struct RawHTTPResponse {
    /// The status code.
    var status: Int
    /// Headers by lowercase name.
    var headers: [String: String]
    /// The body.
    var body: [UInt8]

    /// The body as JSON.
    var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
}

/// A tiny HTTP/1.1 client over POSIX sockets that sends the request target byte for byte.
enum RawHTTPClient {
    /// Sends one request (`Connection: close`) and reads the answer; nil when the server closed without answering.
    static func send(
        port: UInt16, method: String, target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> RawHTTPResponse? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        precondition(connected == 0, "connect failed")
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { return nil }
            sent += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return parse(received)
    }

    private static func parse(_ bytes: [UInt8]) -> RawHTTPResponse? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return nil
        }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return RawHTTPResponse(status: status, headers: headers, body: Array(bytes[(end + 4)...]))
    }
}
