public import CatFee

/// Tuning of the pipeline; every value has a documented default (README, Configuration).
public struct PipelineConfiguration: Sendable {
    /// Topic the results are written to.
    public var resultsTopic: String
    /// Dead-letter topic.
    public var deadLetterTopic: String
    /// Intents processed at once, across partitions (`MAX_IN_FLIGHT`). Reaching it pauses the assigned partitions.
    public var maxInFlight: Int
    /// Partitions resume once in-flight work falls to this many.
    public var resumeBelow: Int
    /// How long a revoke waits for in-flight intents of the revoked partitions before giving them up uncommitted.
    public var revokeTimeout: Duration
    /// Backoff between API retries (transient failures).
    public var apiRetry: RetryPolicy
    /// Backoff between probes while the account is blocked.
    public var accountProbe: RetryPolicy
    /// Backoff between publish retries of a saved record.
    public var publishRetry: RetryPolicy

    /// Creates a configuration.
    public init(
        resultsTopic: String = "purchase-results",
        deadLetterTopic: String = "purchase-intents.dlq",
        maxInFlight: Int = 64,
        resumeBelow: Int? = nil,
        revokeTimeout: Duration = .seconds(10),
        apiRetry: RetryPolicy = RetryPolicy(),
        accountProbe: RetryPolicy = RetryPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(60)),
        publishRetry: RetryPolicy = RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(10))
    ) {
        self.resultsTopic = resultsTopic
        self.deadLetterTopic = deadLetterTopic
        self.maxInFlight = max(1, maxInFlight)
        self.resumeBelow = min(resumeBelow ?? (self.maxInFlight * 3 / 4), self.maxInFlight - 1)
        self.revokeTimeout = revokeTimeout
        self.apiRetry = apiRetry
        self.accountProbe = accountProbe
        self.publishRetry = publishRetry
    }
}
