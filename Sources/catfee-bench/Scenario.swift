/// One benchmark scenario of issue 6: the worker's settings, the simulator's behaviour and the target.
struct Scenario: Sendable {
    /// Short name, used in keys, the consumer group and the JSON report.
    var name: String
    /// What it measures, for the table.
    var title: String
    /// The target it is judged against, in words.
    var target: String
    /// Partitions of the intents and results topics.
    var partitions: Int32 = 6
    /// Intents published before the worker starts (the backlog whose drain gives the throughput).
    var intents: Int
    /// Simulator latency per request.
    var apiLatencyMs = 0
    /// The worker's `MAX_IN_FLIGHT`.
    var maxInFlight = 64
    /// The worker's `CATFEE_MAX_REQUESTS_PER_SECOND`, also enforced by the simulator (429 beyond it).
    var requestsPerSecond: Int?
    /// Extra simulator delay of one intent's key, the backlog's first (``ScenarioRunner/slowKey``).
    var slowKeyMs: Int?
    /// Before the backlog, intents published at this steady rate to measure latency (produce → acknowledged result).
    var pacedRate: Int?
    /// How long the paced phase publishes.
    var pacedSeconds = 5
    /// Whether the simulator's own capacity (requests/s with no worker) is measured first.
    var measureCapacity = true
    /// librdkafka settings of this scenario's worker, over ``ScenarioRunner/workerProperties`` (KAFKA_PROPERTIES_FILE);
    /// the relay of the Kafka-path measurement takes the consumer's `fetch.wait.max.ms` and the producer's settings
    /// (``ScenarioRunner/workerProducerDefaults``) from them.
    var workerProperties: [String: String] = [:]
    /// Whether the scenario has a target of its own (a baseline has none).
    var judged = true
    /// Which round of the slow-key comparison this run is (1-based), nil for the other scenarios.
    var round: Int?

    /// The name with its round: the run's directory and its row in the table.
    var label: String { round.map { "\(name)#\($0)" } ?? name }

    /// Whether this run is part of the slow-key comparison (the slow-key runs and their baselines).
    var comparesSlowKey: Bool { round != nil }

    /// Rounds of the slow-key comparison. Two runs a minute apart on this shared machine differ by up to 40 % in the
    /// simulator's own capacity, so a single pair compares the machine's moments more than the slow key: each round
    /// pairs a slow-key run with a baseline, the order alternating from round to round (baseline first in odd rounds)
    /// so that a drift of the machine does not favour one side, and the verdict takes the median of the rounds' ratios.
    /// Five, not three: single rounds range from 83 % to 118 % of their baselines, and the median of three was 107 %
    /// in one full run on 2026-12-04 and 87 % in the next (their six pairs together: 96 %).
    static let slowKeyRounds = 5

    /// The worker's producer settings before 2026-12-04 (`linger.ms=1`, librdkafka's 5 requests in flight), run beside
    /// its defaults (no linger, one request in flight) for comparison.
    static let lingeringProducer = ["linger.ms": "1", "max.in.flight.requests.per.connection": "5"]

    /// Issue 6's scenarios; `scale` shrinks every intent count (a quick smoke run uses 0.05).
    static func all(scale: Double) -> [Scenario] {
        func count(_ full: Int) -> Int { max(50, Int(Double(full) * scale)) }
        return [
            Scenario(
                name: "drain", title: "backlog drain, no API latency",
                target:
                    ">= 6,000 intents/s or >= 90% of the simulator's capacity; <= 150 µs CPU/intent; <= 150 MB RSS",
                intents: count(100_000), pacedRate: 1_000),
            Scenario(
                name: "latency-100ms", title: "API latency 100 ms, MAX_IN_FLIGHT=256",
                target: ">= 2,300 intents/s (90% of 256 / 0.1 s); p99 <= API latency + 5 ms",
                intents: count(30_000), apiLatencyMs: 100, maxInFlight: 256, pacedRate: 1_000),
            Scenario(
                name: "latency-100ms-linger-1",
                title: "API latency 100 ms, MAX_IN_FLIGHT=256, producer linger.ms=1 and 5 requests in flight",
                target: "comparison: the producer settings before 2026-12-04", intents: count(30_000),
                apiLatencyMs: 100, maxInFlight: 256, pacedRate: 1_000, workerProperties: lingeringProducer,
                judged: false),
            Scenario(
                name: "rate-limit-50", title: "process rate limit 50 requests/s",
                target: "API request rate within 2% of 50/s; no 429",
                intents: count(750), requestsPerSecond: 50, measureCapacity: false),
        ]
            + (1...slowKeyRounds).flatMap { round in
                let pair = [
                    Scenario(
                        name: "slow-key-baseline", title: "10 partitions, no slow key (baseline), round \(round)",
                        target: "baseline for slow-key", partitions: 10, intents: count(50_000), judged: false,
                        round: round),
                    Scenario(
                        name: "slow-key", title: "10 partitions, one slow key (2 s), round \(round)",
                        target: "median over the rounds of the fast keys' throughput / the round's baseline's >= 90%",
                        partitions: 10, intents: count(50_000), slowKeyMs: 2_000, round: round),
                ]
                return round % 2 == 1 ? pair : pair.reversed()
            }
    }
}
