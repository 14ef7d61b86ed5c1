import Foundation

/// What one scenario measured.
struct ScenarioResult: Sendable {
    var scenario: Scenario
    /// Intents processed in all (backlog plus paced).
    var intents: Int
    /// Backlog intents per second, from the worker's first consumed intent to the commit of the last.
    var throughput: Double
    /// Backlog intents per second, from the first consumed intent to the last result acknowledged.
    var resultThroughput: Double
    /// Seconds from the first consumed intent to the commit of the last backlog intent.
    var drainSeconds: Double
    /// The paced phase: intent handed to the producer → its result acknowledged by the broker, and → read.
    var latency: PacedLatencies
    /// The simulator's own latency (the project's client, no worker, no Kafka) at the paced rate, milliseconds.
    var simulatorLatencyP50Ms: Double?
    /// See ``simulatorLatencyP50Ms``.
    var simulatorLatencyP99Ms: Double?
    /// The Kafka path alone (``KafkaRelay``: mock broker → relay → mock broker, no worker, no API) at the paced
    /// rate.
    var kafkaPathLatency: PacedLatencies
    /// Produce → result acknowledged, paced phase, milliseconds (issue 6's latency).
    var latencyP50Ms: Double? { Percentile.of(latency.toAcknowledged, 50) }
    /// See ``latencyP50Ms``.
    var latencyP99Ms: Double? { Percentile.of(latency.toAcknowledged, 99) }
    /// The Kafka path alone, produce → acknowledged, p99, milliseconds.
    var kafkaPathLatencyP99Ms: Double? { Percentile.of(kafkaPathLatency.toAcknowledged, 99) }
    /// Paced intents whose latency was measured.
    var latencySamples: Int { latency.toAcknowledged.count }
    /// The drain worker's CPU time (user + system, its whole life: start, group join, drain, shutdown) per backlog
    /// intent, microseconds.
    var cpuMicrosPerIntent: Double
    /// Worker peak resident set size, bytes.
    var peakRSSBytes: Int
    /// API requests the simulator received per intent.
    var requestsPerIntent: Double
    /// API requests per second of the drain as the simulator saw them arrive (first to last).
    var apiRequestRate: Double
    /// 429 answers the simulator gave.
    var rateLimited: Int
    /// Most charges any `client_order_id` received (must be 1).
    var maxChargesPerKey: Int
    /// The simulator's own capacity with no worker: requests/s from the benchmark's libcurl client.
    var simulatorCapacity: Double?
    /// The worker's exit status after SIGTERM (0 for a clean shutdown).
    var workerExitStatus: Int32
    /// CPU time of the simulator process over the whole scenario (capacity measurement included).
    var simulatorCPUSeconds: Double
    /// CPU time of the mock cluster process over the whole scenario (publishing included).
    var clusterCPUSeconds: Double
    /// The slow-key comparison's runs: when the slow key's and the last fast key's results were produced.
    var keyTimes: KeyTimes?
    /// What went wrong beyond missing a target: a `client_order_id` charged twice, an unclean worker exit, or a paced
    /// intent without its acknowledgement (a broken measurement or a lost result, not a slow one).
    var healthProblems: [String] {
        var problems: [String] = []
        if maxChargesPerKey > 1 { problems.append("a client_order_id was charged twice") }
        if workerExitStatus != 0 { problems.append("worker exit status \(workerExitStatus)") }
        if latency.unacknowledged > 0 {
            problems.append("\(latency.unacknowledged) paced intents with no acknowledged result in the worker's log")
        }
        if kafkaPathLatency.unacknowledged > 0 {
            problems.append("\(kafkaPathLatency.unacknowledged) relayed messages never acknowledged")
        }
        return problems
    }
    /// Whether the run measured what it should; the exit status of `catfee-bench` depends on it, missed targets do
    /// not.
    var isHealthy: Bool { healthProblems.isEmpty }
    /// Whether the target was met, and why not.
    var verdict: (met: Bool, note: String) = (true, "")

    /// The JSON object of this result.
    var json: [String: Any] {
        var object: [String: Any] = [
            "scenario": scenario.name, "title": scenario.title, "target": scenario.target,
            "partitions": Int(scenario.partitions), "backlog_intents": scenario.intents, "intents": intents,
            "api_latency_ms": scenario.apiLatencyMs, "max_in_flight": scenario.maxInFlight,
            "throughput_intents_per_s": Self.rounded(throughput),
            "result_throughput_intents_per_s": Self.rounded(resultThroughput),
            "drain_seconds": Self.rounded(drainSeconds, places: 3),
            "latency_samples": latencySamples, "latency_unacknowledged": latency.unacknowledged,
            "kafka_path_latency_unacknowledged": kafkaPathLatency.unacknowledged,
            "worker_cpu_us_per_intent": Self.rounded(cpuMicrosPerIntent),
            "worker_peak_rss_mb": Self.rounded(Double(peakRSSBytes) / 1_048_576),
            "api_requests_per_intent": Self.rounded(requestsPerIntent, places: 4),
            "api_request_rate_per_s": Self.rounded(apiRequestRate, places: 2),
            "http_429": rateLimited, "max_charges_per_client_order_id": maxChargesPerKey,
            "worker_exit_status": Int(workerExitStatus),
            "simulator_cpu_seconds": Self.rounded(simulatorCPUSeconds, places: 2),
            "mock_cluster_cpu_seconds": Self.rounded(clusterCPUSeconds, places: 2), "target_met": verdict.met,
            "note": verdict.note,
        ]
        // "latency_*": to the acknowledged result; "*_to_read_*": to a consumer of the results reading it.
        for (name, values) in [
            ("latency", latency.toAcknowledged), ("latency_to_read", latency.toRead),
            ("kafka_path_latency", kafkaPathLatency.toAcknowledged),
            ("kafka_path_latency_to_read", kafkaPathLatency.toRead),
        ] {
            if let p50 = Percentile.of(values, 50) { object["\(name)_p50_ms"] = Self.rounded(p50) }
            if let p99 = Percentile.of(values, 99) { object["\(name)_p99_ms"] = Self.rounded(p99) }
        }
        if let simulatorLatencyP50Ms { object["simulator_latency_p50_ms"] = Self.rounded(simulatorLatencyP50Ms) }
        if let simulatorLatencyP99Ms { object["simulator_latency_p99_ms"] = Self.rounded(simulatorLatencyP99Ms) }
        if let simulatorCapacity { object["simulator_capacity_requests_per_s"] = Self.rounded(simulatorCapacity) }
        if let rate = scenario.requestsPerSecond { object["requests_per_second_limit"] = rate }
        if let slow = scenario.slowKeyMs { object["slow_key_ms"] = slow }
        if let round = scenario.round { object["round"] = round }
        if let keyTimes {
            object["fast_keys_throughput_intents_per_s"] = Self.rounded(keyTimes.fastKeysThroughput)
            object["last_fast_key_result_s"] = Self.rounded(keyTimes.lastFastResultSeconds, places: 3)
            object["slow_key_result_s"] = Self.rounded(keyTimes.slowKeyResultSeconds, places: 3)
            // Meaningful only where key 0 is slow (in a baseline it is simply the first intent of partition 0).
            if scenario.slowKeyMs != nil {
                object["intents_behind_slow_key"] = keyTimes.behindSlowKey
                object["intents_behind_slow_key_finished_first"] = keyTimes.behindSlowKeyFinishedFirst
                object["intents_behind_slow_key_reachable"] = keyTimes.reachableBehindSlowKey(
                    partitions: Int(scenario.partitions))
            }
        }
        return object
    }

    static func rounded(_ value: Double, places: Int = 1) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}

/// The slow-key comparison's view of a drain, from the results' timestamps (set by the worker's producer when each
/// result is handed to it), in seconds after the first consumed intent.
struct KeyTimes: Sendable {
    /// Backlog intents other than the slow key's.
    var fastKeys: Int
    /// When the last of their results was produced.
    var lastFastResultSeconds: Double
    /// When the slow key's result was produced.
    var slowKeyResultSeconds: Double
    /// Intents behind the slow key in its partition.
    var behindSlowKey: Int
    /// How many of them had their results produced before the slow key's (strictly earlier, to the millisecond).
    var behindSlowKeyFinishedFirst: Int

    /// Fast intents per second up to the last fast result: what "the fast keys keep flowing" is judged by.
    var fastKeysThroughput: Double { lastFastResultSeconds > 0 ? Double(fastKeys) / lastFastResultSeconds : 0 }

    /// How many of the intents behind the slow key could have finished before it: all of them, or, when the drain
    /// is too fast for one partition's share to be reached in that time, what one of `partitions` partitions
    /// finished on average in the time the slow key took (the fast keys' pace over the partitions).
    /// Without a positive pace and time to go by (a clock or measurement fault), all of them.
    func reachableBehindSlowKey(partitions: Int) -> Int {
        guard fastKeysThroughput > 0, slowKeyResultSeconds > 0 else { return behindSlowKey }
        let onePartition = fastKeysThroughput / Double(max(1, partitions)) * slowKeyResultSeconds
        return Int(min(Double(behindSlowKey), onePartition).rounded(.down))
    }
}

/// Percentiles of a sample (nearest rank).
enum Percentile {
    /// The `p`-th percentile (0...100) of `values`; nil when empty.
    static func of(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
