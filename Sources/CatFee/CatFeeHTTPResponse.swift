/// A raw HTTP response as the transport received it: status, headers in arrival order, body bytes.
public struct CatFeeHTTPResponse: Sendable, Hashable {
    /// The HTTP status code.
    public var status: Int
    /// Header fields in arrival order, names as received.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: [UInt8]

    /// A response from its parts.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the last header named `name`, compared case-insensitively (ASCII).
    public func header(_ name: String) -> String? {
        headers.last(where: { $0.name.utf8.count == name.utf8.count && $0.name.lowercased() == name.lowercased() })?
            .value
    }

    /// Compares status, headers and body.
    public static func == (lhs: CatFeeHTTPResponse, rhs: CatFeeHTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body && lhs.headers.count == rhs.headers.count
            && zip(lhs.headers, rhs.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// Hashes status and body.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(status)
        hasher.combine(body)
    }
}
