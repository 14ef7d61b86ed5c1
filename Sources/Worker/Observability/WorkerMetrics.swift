/// The worker's metrics, registered once (README, Metrics reference).
public struct WorkerMetrics: Sendable {
    /// The registry they live in, served on `/metrics`.
    public let registry: MetricsRegistry
    /// Intents consumed from the intents topic.
    public let intentsConsumed: Counter
    /// Results published and acknowledged, by status (`ORDERED`, `REJECTED`).
    public let results: Counter
    /// Results whose order already existed at CatFee.
    public let duplicates: Counter
    /// Dead letters published and acknowledged, by reason.
    public let deadLetters: Counter
    /// API requests by HTTP status class (`2xx`, `4xx`, `5xx`, `transport`).
    public let apiRequests: Counter
    /// API request latency.
    public let apiLatency: Histogram
    /// From an intent's Kafka timestamp to the broker's acknowledgement of its result or dead letter.
    public let intentLatency: Histogram
    /// Retries of API requests, by reason.
    public let apiRetries: Counter
    /// Failed publish attempts (retried from the saved record).
    public let publishFailures: Counter
    /// Intents accepted and not yet finished.
    public let inFlight: Gauge
    /// Partitions paused by the worker.
    public let pausedPartitions: Gauge
    /// 1 while the account is blocked (bad key, signature, balance), by reason.
    public let accountBlocked: Gauge
    /// Consumer lag per partition, from librdkafka statistics.
    public let consumerLag: Gauge
    /// Synchronous commit latency.
    public let commitLatency: Histogram
    /// Commits by outcome.
    public let commits: Counter
    /// Messages waiting in the producer queue.
    public let producerQueue: Gauge
    /// CatFee account balance in sun, polled from `GET /v1/account`.
    public let accountBalance: Gauge
    /// Rebalance events by kind (`assign`, `revoke`, `lost`).
    public let rebalances: Counter

    /// Registers every metric in a new registry.
    public init() {
        let registry = MetricsRegistry()
        self.registry = registry
        intentsConsumed = registry.counter("catfee_intents_consumed_total", help: "Intents consumed.")
        results = registry.counter(
            "catfee_results_total", help: "Results acknowledged by the broker, by status.", labels: ["status"])
        duplicates = registry.counter("catfee_duplicates_total", help: "Orders CatFee reported as already existing.")
        deadLetters = registry.counter(
            "catfee_dead_letters_total", help: "Dead letters acknowledged by the broker, by reason.", labels: ["reason"]
        )
        apiRequests = registry.counter(
            "catfee_api_requests_total", help: "CatFee API requests sent, by status class.", labels: ["class"])
        apiLatency = registry.histogram(
            "catfee_api_request_duration_seconds", help: "CatFee API request latency.",
            bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
        intentLatency = registry.histogram(
            "catfee_intent_latency_seconds",
            help:
                "From an intent's Kafka timestamp to the broker's acknowledgement of its result or dead letter"
                + " (intents without a timestamp are not counted).",
            bounds: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300])
        apiRetries = registry.counter(
            "catfee_api_retries_total", help: "API requests retried, by reason.", labels: ["reason"])
        publishFailures = registry.counter(
            "catfee_publish_failures_total", help: "Failed publish attempts, retried from the saved record.")
        inFlight = registry.gauge("catfee_in_flight_intents", help: "Intents accepted and not yet finished.")
        pausedPartitions = registry.gauge("catfee_paused_partitions", help: "Assigned partitions paused by the worker.")
        accountBlocked = registry.gauge(
            "catfee_account_blocked", help: "1 while CatFee refuses the account (key, signature or balance).",
            labels: ["reason"])
        consumerLag = registry.gauge(
            "catfee_consumer_lag", help: "Consumer lag per partition (librdkafka statistics).",
            labels: ["topic", "partition"])
        commitLatency = registry.histogram(
            "catfee_commit_duration_seconds", help: "Synchronous offset commit latency.",
            bounds: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5])
        commits = registry.counter(
            "catfee_commits_total", help: "Synchronous commits, by outcome.", labels: ["outcome"])
        producerQueue = registry.gauge("catfee_producer_queue_messages", help: "Messages in the producer queue.")
        accountBalance = registry.gauge("catfee_account_balance_sun", help: "CatFee account balance in sun.")
        rebalances = registry.counter("catfee_rebalances_total", help: "Rebalance events, by kind.", labels: ["kind"])
    }
}
