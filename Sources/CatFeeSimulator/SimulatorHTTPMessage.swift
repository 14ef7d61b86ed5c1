import JSON

/// A request as the HTTP layer hands it to the engine: nothing decoded, target exactly as it arrived.
struct SimulatorHTTPRequest: Sendable {
    /// The HTTP method.
    var method: String
    /// The request target exactly as it arrived.
    var rawTarget: String
    /// The request headers the engine looks at, by lowercase name.
    var headers: [String: String]
    /// The request body.
    var body: [UInt8]
    /// When the request line arrived, real clock, epoch ms.
    var arrivalRealMs: Int64
}

/// An answer from the engine; the HTTP layer adds `Date` and `Content-Length`.
struct SimulatorHTTPResponse: Sendable {
    /// The HTTP status.
    var status: Int
    /// Extra headers (Content-Type included).
    var headers: [(String, String)]
    /// The body.
    var body: [UInt8]
    /// Close the connection without answering.
    var dropConnection = false

    /// A JSON answer.
    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> SimulatorHTTPResponse {
        SimulatorHTTPResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: value.serialized())
    }

    /// A CatFee envelope `{code, msg, sub_code, sub_msg, data}`.
    static func envelope(
        _ status: Int, code: Int, msg: String, subCode: String, subMsg: String = "", data: JSONValue = .null,
        headers: [(String, String)] = []
    ) -> SimulatorHTTPResponse {
        json(
            status,
            .object([
                ("code", .integer(code)), ("msg", .string(msg)), ("sub_code", .string(subCode)),
                ("sub_msg", .string(subMsg)), ("data", data),
            ]), headers: headers)
    }

    /// A plain-text answer.
    static func text(_ status: Int, _ text: String) -> SimulatorHTTPResponse {
        SimulatorHTTPResponse(status: status, headers: [("Content-Type", "text/plain")], body: Array(text.utf8))
    }

    /// The drop-the-connection non-answer.
    static let dropped = SimulatorHTTPResponse(status: 0, headers: [], body: [], dropConnection: true)
}
