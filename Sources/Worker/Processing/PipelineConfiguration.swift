public import CatFee

/// Tuning of the pipeline; every value has a documented default (README, Configuration).
public struct PipelineConfiguration: Sendable {
    /// Topic the results are written to.
    public var resultsTopic: String
    /// Dead-letter topic.
    public var deadLetterTopic: String
    /// Intents validated and calling CatFee at once, across partitions (`MAX_IN_FLIGHT`): a hard bound on concurrent
    /// API calls. An intent gives its slot up once its answer is final; publishing it does not hold one (every
    /// accepted intent, publishing ones included, counts toward the pause mark ``pauseAt``).
    public var maxInFlight: Int
    /// Consumed intents allowed to wait for a processing slot (`MAX_BUFFERED`). When running plus waiting
    /// intents reach `maxInFlight + maxBuffered`, the assigned partitions are paused while polling goes on.
    ///
    /// Pausing makes librdkafka drop its prefetched messages and fetch them again on resume, so pausing at the
    /// processing bound itself would stall the pipeline on every cycle; the buffer keeps work ready meanwhile.
    public var maxBuffered: Int
    /// Accepted intents at or below which paused partitions resume (half the buffer below the pause mark).
    public var resumeBelow: Int
    /// Accepted intents at which the partitions pause.
    public var pauseAt: Int { maxInFlight + maxBuffered }
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
        maxBuffered: Int = 10_000,
        revokeTimeout: Duration = .seconds(10),
        apiRetry: RetryPolicy = RetryPolicy(),
        accountProbe: RetryPolicy = RetryPolicy(initialBackoff: .seconds(1), maxBackoff: .seconds(60)),
        publishRetry: RetryPolicy = RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(10))
    ) {
        self.resultsTopic = resultsTopic
        self.deadLetterTopic = deadLetterTopic
        self.maxInFlight = max(1, maxInFlight)
        self.maxBuffered = max(0, maxBuffered)
        self.resumeBelow = self.maxInFlight + self.maxBuffered / 2 - 1
        self.revokeTimeout = revokeTimeout
        self.apiRetry = apiRetry
        self.accountProbe = accountProbe
        self.publishRetry = publishRetry
    }
}
