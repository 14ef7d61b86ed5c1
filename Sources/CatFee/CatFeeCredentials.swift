/// The API key and secret that authenticate every CatFee request.
///
/// Printing a value never reveals either part: `description` and `debugDescription` keep only the first two characters
/// of the key and mask the secret entirely, so the type can safely appear in logs and error messages.
public struct CatFeeCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The API key, sent as `CF-ACCESS-KEY`.
    public var apiKey: String
    /// The HMAC secret that signs requests; never sent.
    public var apiSecret: String

    /// Credentials from a key and its secret.
    public init(apiKey: String, apiSecret: String) {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
    }

    /// A masked rendering, e.g. `CatFeeCredentials(apiKey: ab…(redacted), apiSecret: (redacted))`.
    public var description: String {
        "CatFeeCredentials(apiKey: \(String(apiKey.prefix(2)))…(redacted), apiSecret: (redacted))"
    }

    /// The same masked rendering as ``description``.
    public var debugDescription: String { description }
}
