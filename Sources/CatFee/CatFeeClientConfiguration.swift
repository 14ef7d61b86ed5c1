/// Everything a ``CatFeeClient`` needs, with documented defaults.
public struct CatFeeClientConfiguration: Sendable {
    /// The API base URL, scheme and host (and optional port), no trailing path. Default production.
    public var baseURL: String
    /// API key and secret.
    public var credentials: CatFeeCredentials
    /// Which part of the request target is signed. Default `.pathAndQuery` (catfee-api.md, Signing).
    public var signatureScope: SignatureScope
    /// TCP + TLS connect timeout. Default 5 s.
    public var connectTimeout: Duration
    /// Total time for one request, connect included. Default 15 s.
    public var requestTimeout: Duration
    /// Requests in flight at once, also the connection limit per host. Default 64.
    public var maxConcurrentRequests: Int
    /// Process-wide request starts per second; nil (the default) is unlimited.
    public var maxRequestsPerSecond: Double?
    /// `User-Agent`. Default `catfee-worker`.
    public var userAgent: String

    /// A configuration; every parameter but the credentials has a default.
    public init(
        baseURL: String = "https://api.catfee.io", credentials: CatFeeCredentials,
        signatureScope: SignatureScope = .pathAndQuery, connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(15), maxConcurrentRequests: Int = 64, maxRequestsPerSecond: Double? = nil,
        userAgent: String = "catfee-worker"
    ) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.signatureScope = signatureScope
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxConcurrentRequests = maxConcurrentRequests
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.userAgent = userAgent
    }
}
