/// Why a CatFee read (``CatFeeClient/order(id:)``, ``CatFeeClient/account()``) produced no data.
///
/// Carries the same classification as ``OrderOutcome``; its description never contains the API key or secret.
public enum CatFeeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The API refused the request permanently (4xx, non-zero envelope code).
    case rejected(APIRefusal)
    /// Retrying can help (network, timeout, 5xx, 429, malformed body).
    case transient(TransientFailure)
    /// Account-wide or configuration fault (bad key or signature, wrong base URL, insufficient balance).
    case accountBlocked(AccountProblem)
    /// HTTP 401 caused by the timestamp window.
    case clockSkew(message: String)

    /// Whether sending the same request again later can succeed.
    public var isRetryable: Bool {
        switch self {
        case .transient, .clockSkew: true
        case .rejected, .accountBlocked: false
        }
    }

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .rejected(let refusal): "rejected: \(refusal.code): \(refusal.message)"
        case .transient(let failure): "transient: \(failure)"
        case .accountBlocked(let problem): "account blocked: \(problem.code): \(problem.message)"
        case .clockSkew(let message): "clock skew: \(message)"
        }
    }
}
