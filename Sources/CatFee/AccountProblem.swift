/// An account-wide refusal: every request would fail the same way, so the worker pauses instead of rejecting intents.
public enum AccountProblem: Sendable, Hashable {
    /// Bad API key or signature (or a wrong base URL): a configuration fault.
    case unauthorized(code: String, message: String)
    /// The account balance cannot pay for the order.
    case insufficientBalance(code: String, message: String)

    /// The code of either case.
    public var code: String {
        switch self {
        case .unauthorized(let code, _), .insufficientBalance(let code, _): code
        }
    }

    /// The message of either case.
    public var message: String {
        switch self {
        case .unauthorized(_, let message), .insufficientBalance(_, let message): message
        }
    }
}
