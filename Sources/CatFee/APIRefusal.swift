/// A permanent, per-intent refusal: the API (or the conflict check) said no, and nothing was charged by this request.
public struct APIRefusal: Sendable, Hashable {
    /// The API's code (its `sub_code`, its numeric `code`, `http_400`, or `client_order_id_conflict`).
    public var code: String
    /// The API's human-readable reason.
    public var message: String
    /// The HTTP status of the response, when there was one.
    public var httpStatus: Int?

    /// A refusal with a code, a message and the HTTP status.
    public init(code: String, message: String, httpStatus: Int?) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }
}
