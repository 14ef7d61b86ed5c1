import CatFee
import CatFeeSimulator
import Foundation
import Kafka
import Locking
import Synchronization

/// Runs one scenario: the mock cluster and the simulator each in a process of their own, the backlog published,
/// `catfee-worker run` started as a third process and measured from outside (metrics, committed offsets, the
/// simulator's counters, and `wait4` for its CPU time and peak RSS).
struct ScenarioRunner {
    static let intentsTopic = "purchase-intents"
    static let resultsTopic = "purchase-results"
    static let deadLetterTopic = "purchase-intents.dlq"
    /// Topics of the Kafka-path-alone measurement (``KafkaRelay``).
    static let relayInputTopic = "bench-relay-in"
    static let relayOutputTopic = "bench-relay-out"
    /// The worker's producer defaults that shape latency (`WorkerConfiguration.producerProperties`), given to the
    /// relay unless the scenario or BENCH_WORKER_PROPERTIES sets others.
    static let workerProducerDefaults = ["linger.ms": "0", "max.in.flight.requests.per.connection": "1"]
    /// Credentials the benchmark's simulator accepts. The worker's logger masks them wherever they appear, so they
    /// share nothing with the intents' keys (`bench-...`), which the benchmark reads back from the worker's log.
    static let apiKey = "K3y0fTheBenchmark"
    static let apiSecret = "S3cret0fTheBenchmark"
    /// Auto-commit cadence of the measured worker: the drain's end is the commit of its last intent, so a short
    /// interval measures it to a quarter second (the worker's default is 5 s, the contract's upper bound).
    static let autoCommitIntervalMs = 250
    /// librdkafka settings given to the measured worker (KAFKA_PROPERTIES_FILE). `fetch.wait.max.ms`: librdkafka's
    /// mock broker holds an empty fetch for the whole wait even when messages arrive meanwhile (a real broker answers
    /// as soon as data is there), which would add up to 500 ms (the default) to every latency measured on an idle
    /// partition; 1 ms (the least above 0, which would make every idle fetch a busy loop) brings the mock close to a
    /// real broker, at the price of the worker polling it about a thousand times a second while idle.
    static let workerProperties = [
        "auto.commit.interval.ms": String(autoCommitIntervalMs),
        "fetch.wait.max.ms": ProcessInfo.processInfo.environment["BENCH_FETCH_WAIT_MAX_MS"] ?? "1",
    ]

    let scenario: Scenario
    let workerBinary: String
    let directory: URL
    let log: @Sendable (String) -> Void

    func run() async throws -> ScenarioResult {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let cluster = try ChildProcess(
            name: "mock-cluster", executable: workerBinary,
            arguments: [
                "mock-cluster", "--brokers", "1", "--topic", "\(Self.intentsTopic):\(scenario.partitions)",
                "--topic", "\(Self.resultsTopic):\(scenario.partitions)", "--topic", "\(Self.deadLetterTopic):1",
                "--topic", "\(Self.relayInputTopic):\(scenario.partitions)",
                "--topic", "\(Self.relayOutputTopic):\(scenario.partitions)",
            ], environment: environment, directory: directory)
        defer { _ = cluster.stop(grace: .seconds(5)) }
        let bootstrap = try cluster.waitForLine(prefix: "bootstrap.servers=")

        var simulatorArguments = [
            "simulator", "--port", "0", "--api-key", Self.apiKey, "--api-secret", Self.apiSecret, "--no-request-log",
            "--latency-ms", String(scenario.apiLatencyMs),
            // Enough for every order of any scenario on any machine (the default runs out after about 170,000).
            "--balance-sun", String(Int64(1) << 60),
        ]
        if let rate = scenario.requestsPerSecond { simulatorArguments += ["--rate-limit-per-second", String(rate)] }
        if let slow = scenario.slowKeyMs { simulatorArguments += ["--slow-key", "\(slowKey)=\(slow)"] }
        let simulatorProcess = try ChildProcess(
            name: "simulator", executable: workerBinary, arguments: simulatorArguments, environment: environment,
            directory: directory)
        defer { _ = simulatorProcess.stop(grace: .seconds(5)) }
        let baseURL = try simulatorProcess.waitForLine(prefix: "CatFee simulator listening on ")
        guard let simulatorPort = URL(string: baseURL)?.port.flatMap({ UInt16(exactly: $0) }) else {
            throw BenchError("cannot read the simulator's port from \(baseURL)")
        }
        let simulator = SimulatorProbe(port: simulatorPort)

        var simulatorLatency: [Double] = []
        if let rate = scenario.pacedRate {
            simulatorLatency = await measureSimulatorLatency(baseURL: baseURL, rate: rate)
            log(
                String(
                    format: "  simulator latency alone at %d requests/s: p50 %.1f ms, p99 %.1f ms", rate,
                    Percentile.of(simulatorLatency, 50) ?? 0, Percentile.of(simulatorLatency, 99) ?? 0))
        }
        var kafkaPath = PacedLatencies()
        if let rate = scenario.pacedRate {
            let relay = try KafkaRelay(
                bootstrap: bootstrap, inputTopic: Self.relayInputTopic, outputTopic: Self.relayOutputTopic,
                partitions: scenario.partitions, workerProperties: workerProperties())
            defer { relay.close() }
            let paced = try measurePacedLatency(
                bootstrap: bootstrap, intentsTopic: Self.relayInputTopic, resultsTopic: Self.relayOutputTopic,
                rate: rate, seconds: scenario.pacedSeconds, keyPrefix: "bench-\(scenario.name)-relay")
            kafkaPath = PacedLatencies(
                sent: paced.sentAtMs,
                acknowledged: relay.acknowledgedAtMs(keys: Set(paced.sentAtMs.keys), timeout: .seconds(10)),
                toRead: paced.latencies)
            log("  Kafka path alone (relay, no worker, no API) at \(rate) intents/s: " + Self.describe(kafkaPath))
        }
        // Last of the measurements alone: its burst of connections at full concurrency would otherwise still be
        // closing while the latency probes run.
        var capacity: Double?
        if scenario.measureCapacity {
            capacity = try await measureCapacity(baseURL: baseURL)
            log(String(format: "  simulator capacity alone: %.0f requests/s", capacity ?? 0))
        }
        let statsBefore = try simulator.stats()
        let group = "bench-\(scenario.name)"

        // The latency phase first, on fresh topics, with a worker of its own, as the Kafka-path measurement above: both
        // then meet the mock broker in the same state (it finds a fetch's offset by walking the partition's message
        // sets from the start, keeping no offset index, so its fetches slow down as a log grows), and the
        // drain's CPU figure is the drain's alone.
        var latencies = PacedLatencies()
        var pacedCount = 0
        var pacedEnds: [Int32: Int64] = [:]
        var pacedExit: ChildProcess.Exit?
        var pacedPeakRSS = 0
        if let rate = scenario.pacedRate {
            let metricsPort = HTTPText.freePort()
            // At debug level the worker logs each acknowledged record, with its time to the microsecond.
            let worker = try startWorker(
                bootstrap: bootstrap, baseURL: baseURL, group: group, metricsPort: metricsPort, logLevel: "debug")
            let progress = try WorkerProgress(
                bootstrap: bootstrap, group: group, topic: Self.intentsTopic, metricsPort: metricsPort, worker: worker)
            defer { progress.close() }
            let paced = try measurePacedLatency(
                bootstrap: bootstrap, intentsTopic: Self.intentsTopic, resultsTopic: Self.resultsTopic, rate: rate,
                seconds: scenario.pacedSeconds, keyPrefix: "bench-\(scenario.name)")
            pacedCount = paced.published
            pacedEnds = paced.ends
            _ = try progress.waitForCommits(pacedEnds, timeout: .seconds(60))
            pacedPeakRSS = Self.peakRSSBytes(pid: worker.pid) ?? 0
            progress.close()
            pacedExit = worker.stop(grace: .seconds(40))
            latencies = PacedLatencies(
                sent: paced.sentAtMs, acknowledged: try WorkerLog.acknowledgements(path: worker.stderrPath),
                toRead: paced.latencies)
            try? FileManager.default.moveItem(
                atPath: worker.stderrPath, toPath: directory.appendingPathComponent("worker-latency-phase.err").path)
            log("  worker at \(rate) intents/s: " + Self.describe(latencies))
        }

        log("  publishing \(scenario.intents) intents")
        let statsBeforeDrain = try simulator.stats()
        let publisher = try IntentPublisher(bootstrap: bootstrap, topic: Self.intentsTopic, lingerMs: 5)
        // The slow-key comparison's runs (both, so that their backlogs are laid out alike) put the slow key first in
        // partition 0.
        let placed = scenario.comparesSlowKey ? [slowKey: Int32(0)] : [:]
        // Partition 0's backlog intents with their offsets, to find those behind the slow one.
        let partitionZero = Locked<[(key: String, offset: Int64)]>([])
        let notePartitionZero: @Sendable (String, Int32, Int64) -> Void = { key, partition, offset in
            if partition == 0 { partitionZero.withLock { $0.append((key, offset)) } }
        }
        var backlogEnds = try publisher.publish(
            keys: (0..<scenario.intents).map(key), placed: placed,
            delivered: scenario.comparesSlowKey ? notePartitionZero : nil)
        publisher.close()
        for (partition, end) in pacedEnds { backlogEnds[partition] = max(backlogEnds[partition] ?? 0, end) }

        // The drain: a new worker, which starts after the latency phase's intents. It joins a group of its own whose
        // offsets start where the latency phase's group committed. In that group it would wait about 44 s for its
        // partitions: when the latency phase's worker leaves, librdkafka 2.0.2's mock coordinator starts a
        // rebalance timed at the session timeout less a second and admits no one before its end (a real broker
        // admits a member of an empty group after group.initial.rebalance.delay.ms, 3 s). The drain's CPU figure
        // included that wait and the first-consume probe's scrapes during it.
        let drainGroup = "\(group)-drain"
        if !pacedEnds.isEmpty {
            try Self.startGroup(drainGroup, at: pacedEnds, bootstrap: bootstrap, topic: Self.intentsTopic)
        }
        let metricsPort = HTTPText.freePort()
        let worker = try startWorker(
            bootstrap: bootstrap, baseURL: baseURL, group: drainGroup, metricsPort: metricsPort)
        let progress = try WorkerProgress(
            bootstrap: bootstrap, group: drainGroup, topic: Self.intentsTopic, metricsPort: metricsPort,
            worker: worker)
        defer { progress.close() }
        let drainTimeout = Duration.seconds(60 + scenario.intents / 200)
        let firstConsume = try progress.waitForFirstConsume(timeout: .seconds(60))
        let firstConsumeWallMs = Int64(Date().timeIntervalSince1970 * 1000)
        // BENCH_PERF_OUTPUT=FILE: samples the worker's CPU (perf record -g, attached) during the drain.
        let profiler = try ProcessInfo.processInfo.environment["BENCH_PERF_OUTPUT"].map { output in
            try ChildProcess(
                name: "perf", executable: "/usr/bin/perf",
                arguments: ["record", "-e", "cpu-clock", "-F", "1999", "-g", "-p", String(worker.pid), "-o", output],
                environment: environment, directory: directory)
        }
        let lastResult = try progress.waitForResults(scenario.intents, timeout: drainTimeout)
        let lastCommit = try progress.waitForCommits(backlogEnds, timeout: drainTimeout)
        if let profiler {
            profiler.send(SIGINT)
            profiler.waitForExit()
        }
        let drainSeconds = Self.seconds(lastCommit - firstConsume)
        log(String(format: "  drained in %.2f s", drainSeconds))

        let statsAfter = try simulator.stats()
        // Peak RSS from the kernel's high-water mark of the worker's own memory (VmHWM, reset at exec). wait4's
        // ru_maxrss cannot be used: Linux carries the spawning process's peak into the child across exec.
        let peakRSS = max(Self.peakRSSBytes(pid: worker.pid) ?? 0, pacedPeakRSS)
        if let (_, metrics) = HTTPText.get(port: metricsPort, path: "/metrics") {
            try? metrics.write(
                to: directory.appendingPathComponent("worker-metrics.txt"), atomically: true, encoding: .utf8)
        }
        progress.close()
        let exit = worker.stop(grace: .seconds(40))
        // Read after the worker stopped, so that its CPU figure is the drain's alone.
        var keyTimes: KeyTimes?
        if scenario.comparesSlowKey {
            let partitionZero = partitionZero.withLock { $0 }
            let slowOffset = partitionZero.first { $0.key == slowKey }?.offset ?? .max
            keyTimes = try timeKeys(
                bootstrap: bootstrap, since: firstConsumeWallMs,
                behindSlowKey: partitionZero.filter { $0.offset > slowOffset }.map(\.key))
        }
        let simulatorExit = simulatorProcess.stop(grace: .seconds(5))
        let clusterExit = cluster.stop(grace: .seconds(5))

        let total = scenario.intents + pacedCount
        let requests = statsAfter.requests - statsBefore.requests
        // The API request rate of the drain: from its first request (exact when the simulator saw none before; else
        // the first consumed intent, seen within 5 ms) to its last.
        let drainRequests = statsAfter.requests - statsBeforeDrain.requests
        let drainStartMs = statsBeforeDrain.requests == 0 ? statsAfter.firstArrivalMs : firstConsumeWallMs
        let span = Double(statsAfter.lastArrivalMs - drainStartMs) / 1000
        return ScenarioResult(
            scenario: scenario, intents: total, throughput: Double(scenario.intents) / drainSeconds,
            resultThroughput: Double(scenario.intents) / Self.seconds(lastResult - firstConsume),
            drainSeconds: drainSeconds, latency: latencies, simulatorLatencyP50Ms: Percentile.of(simulatorLatency, 50),
            simulatorLatencyP99Ms: Percentile.of(simulatorLatency, 99), kafkaPathLatency: kafkaPath,
            cpuMicrosPerIntent: exit.cpuSeconds / Double(scenario.intents) * 1e6, peakRSSBytes: peakRSS,
            requestsPerIntent: Double(requests) / Double(total),
            apiRequestRate: span > 0 ? Double(drainRequests - 1) / span : 0,
            rateLimited: (statsAfter.requestsByStatus[429] ?? 0) - (statsBefore.requestsByStatus[429] ?? 0),
            maxChargesPerKey: statsAfter.maxChargesPerClientOrderID, simulatorCapacity: capacity,
            workerExitStatus: exit.status != 0 ? exit.status : pacedExit?.status ?? 0,
            simulatorCPUSeconds: simulatorExit.cpuSeconds,
            clusterCPUSeconds: clusterExit.cpuSeconds, keyTimes: keyTimes)
    }

    // MARK: - Intents

    /// The key of backlog intent `index`; the same in both runs of the slow-key comparison, so that their backlogs
    /// are laid out alike (each run has a cluster and a simulator of its own).
    func key(_ index: Int) -> String { "bench-\(scenario.comparesSlowKey ? "slow-key" : scenario.name)-\(index)" }

    /// The slow key: the backlog's first intent, published first to partition 0, so every other intent of that
    /// partition (a tenth of the backlog) is behind it. The comparison times the fast keys alone (``KeyTimes``): the
    /// drain as a whole always lasts at least until the slow intent's answer, however late the worker reads it. And it
    /// counts the intents behind the slow one in its partition whose results came before the slow one's: all of them
    /// when the fast keys flow past it (its partition takes well under its 2 s), none when a worker holds the
    /// partition behind it, wherever in the drain the worker reads that partition.
    var slowKey: String { key(0) }

    /// After a drain of the slow-key comparison: when the worker produced the result of the slow key and of the last
    /// fast key, from the results' own timestamps, relative to the first consumed intent (`since`, wall clock, ms),
    /// and how many of the intents `behindSlowKey` (the rest of its partition) had their results before it.
    func timeKeys(bootstrap: String, since firstConsumeMs: Int64, behindSlowKey: [String]) throws -> KeyTimes {
        let times = try ResultTimestamps.read(
            bootstrap: bootstrap, topic: Self.resultsTopic, partitions: scenario.partitions, timeout: .seconds(60))
        var lastFastMs = Int64.min
        for index in 1..<scenario.intents {
            guard let time = times[key(index)] else { throw BenchError("no result for \(key(index))") }
            lastFastMs = max(lastFastMs, time)
        }
        guard let slowMs = times[slowKey] else { throw BenchError("no result for the slow key \(slowKey)") }
        // Every key behind the slow one is a fast key, whose result was found above.
        return KeyTimes(
            fastKeys: scenario.intents - 1, lastFastResultSeconds: Double(lastFastMs - firstConsumeMs) / 1000,
            slowKeyResultSeconds: Double(slowMs - firstConsumeMs) / 1000, behindSlowKey: behindSlowKey.count,
            behindSlowKeyFinishedFirst: behindSlowKey.filter { times[$0].map { $0 < slowMs } ?? false }.count)
    }

    /// Receivers to spread the intents over (valid TRON addresses).
    static let receivers: [String] = (0..<256).map { seed in
        TronAddressValidator.address(account: (0..<20).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ seed &* 7) })
    }

    // MARK: - Latency

    /// Publishes one unmeasured warm-up intent, then `rate` intents per second for `seconds` to `intentsTopic`, and
    /// times each until its result is read from `resultsTopic`. Returns the latencies to read (ms), when each measured
    /// intent was handed to the producer (wall clock, ms, by key), how many intents were published in all and each
    /// partition's end offset.
    func measurePacedLatency(
        bootstrap: String, intentsTopic: String, resultsTopic: String, rate: Int, seconds: Int, keyPrefix: String
    ) throws -> (latencies: [Double], sentAtMs: [String: Double], published: Int, ends: [Int32: Int64]) {
        let paced = try PacedLatencyProbe(
            bootstrap: bootstrap, intentsTopic: intentsTopic, resultsTopic: resultsTopic,
            partitions: scenario.partitions)
        defer { paced.close() }
        // Not measured: one intent first (the results reader's first fetch takes about a second to start, which would
        // otherwise be charged to the first intents' latency), then 100 ms of paced intents, which open the
        // connections the steady state keeps, as the simulator-alone measurement's 100 warm-up requests do.
        var ends = try paced.publish(keys: ["\(keyPrefix)-warm-up"], rate: rate)
        _ = try paced.waitForResults(count: 1, timeout: .seconds(60))
        let warmUp = (0..<max(1, rate / 10)).map { "\(keyPrefix)-warm-up-\($0)" }
        ends.merge(try paced.publish(keys: warmUp, rate: rate), uniquingKeysWith: max)
        _ = try paced.waitForResults(count: 1 + warmUp.count, timeout: .seconds(60))
        paced.forget()
        let keys = (0..<(rate * seconds)).map { "\(keyPrefix)-paced-\($0)" }
        log("  paced phase (\(resultsTopic)): \(keys.count) intents at \(rate)/s")
        let pacedEnds = try paced.publish(keys: keys, rate: rate)
        let latencies = try paced.waitForResults(count: keys.count, timeout: .seconds(60))
        ends.merge(pacedEnds, uniquingKeysWith: max)
        return (latencies, paced.sentAtMs(), keys.count + 1 + warmUp.count, ends)
    }

    // MARK: - Worker

    /// The librdkafka settings given to the measured worker: ``workerProperties``, the scenario's, then
    /// BENCH_WORKER_PROPERTIES.
    func workerProperties() -> [String: String] {
        var properties = Self.workerProperties.merging(scenario.workerProperties) { $1 }
        for pair in (ProcessInfo.processInfo.environment["BENCH_WORKER_PROPERTIES"] ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { properties[parts[0]] = parts[1] }
        }
        return properties
    }

    /// Commits `ends` as `group`'s offsets on `topic` before any member joins it (a consumer with that group.id
    /// that never joins commits them).
    static func startGroup(_ group: String, at ends: [Int32: Int64], bootstrap: String, topic: String) throws {
        let consumer = try KafkaConsumer(
            config: KafkaConfig([
                "bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": "false",
            ]))
        defer { consumer.close() }
        try consumer.commit(
            Dictionary(uniqueKeysWithValues: ends.map { (KafkaTopicPartition(topic: topic, partition: $0), $1) }))
    }

    func startWorker(
        bootstrap: String, baseURL: String, group: String, metricsPort: UInt16, logLevel: String = "warning"
    ) throws -> ChildProcess {
        let properties = directory.appendingPathComponent("bench.properties")
        let lines = workerProperties().map { "\($0.key)=\($0.value)\n" }.sorted().joined()
        try lines.write(to: properties, atomically: true, encoding: .utf8)
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap, "KAFKA_GROUP_ID": group, "KAFKA_PROPERTIES_FILE": properties.path,
            "CATFEE_BASE_URL": baseURL, "CATFEE_API_KEY": Self.apiKey, "CATFEE_API_SECRET": Self.apiSecret,
            "HTTP_LISTEN": "127.0.0.1:\(metricsPort)", "LOG_LEVEL": logLevel, "LOG_FORMAT": "json",
            "ACCOUNT_POLL_INTERVAL_MS": "0",
            "MAX_IN_FLIGHT": String(scenario.maxInFlight),
        ]
        if let rate = scenario.requestsPerSecond { environment["CATFEE_MAX_REQUESTS_PER_SECOND"] = String(rate) }
        for pair in (ProcessInfo.processInfo.environment["BENCH_WORKER_ENV"] ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { environment[parts[0]] = parts[1] }
        }
        // BENCH_WORKER_PREFIX (e.g. "/usr/bin/perf record -e cpu-clock -g -o /tmp/worker.perf") wraps the worker for
        // profiling; its CPU figures then include the wrapper.
        let prefix = ProcessInfo.processInfo.environment["BENCH_WORKER_PREFIX"]?.split(separator: " ").map(String.init)
        let command = (prefix ?? []) + [workerBinary, "run"]
        return try ChildProcess(
            name: "worker", executable: command[0], arguments: Array(command.dropFirst()), environment: environment,
            directory: directory)
    }

    // MARK: - Simulator capacity

    /// The project's CatFee client at the scenario's concurrency, as the worker has it.
    func makeClient(baseURL: String) throws -> CatFeeClient {
        try CatFeeClient(
            configuration: CatFeeClientConfiguration(
                baseURL: baseURL, credentials: CatFeeCredentials(apiKey: Self.apiKey, apiSecret: Self.apiSecret),
                maxConcurrentRequests: scenario.maxInFlight))
    }

    /// Requests/s the simulator answers with no worker: the project's libcurl client at the scenario's concurrency
    /// for three seconds, each request a new order.
    func measureCapacity(baseURL: String) async throws -> Double {
        let client = try makeClient(baseURL: baseURL)
        defer { client.shutdown() }
        let start = ContinuousClock.now
        let deadline = start + .seconds(3)
        let name = scenario.name
        let concurrency =
            Int(ProcessInfo.processInfo.environment["BENCH_CAPACITY_CONCURRENCY"] ?? "") ?? scenario.maxInFlight
        let answered = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        let request = OrderRequest(
                            clientOrderID: "capacity-\(name)-\(worker)-\(count)",
                            receiver: Self.receivers[count % Self.receivers.count], quantity: 65_000)
                        if case .ordered = await client.placeOrder(request).outcome { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        return Double(answered) / Self.seconds(ContinuousClock.now - start)
    }

    /// The simulator's own latency with no worker and no Kafka: requests from the project's libcurl client at `rate`
    /// per second for as long as the paced phase (after 100 unmeasured ones), each timed from the call to its answer,
    /// in milliseconds.
    func measureSimulatorLatency(baseURL: String, rate: Int) async -> [Double] {
        guard let client = try? makeClient(baseURL: baseURL) else { return [] }
        defer { client.shutdown() }
        let warmUp = 100
        let count = warmUp + scenario.pacedSeconds * rate
        let name = scenario.name
        let start = ContinuousClock.now
        let samples = await withTaskGroup(of: Double?.self) { group in
            for index in 0..<count {
                let due = start + .microseconds(index * 1_000_000 / rate)
                if due > .now { try? await Task.sleep(until: due, clock: .continuous) }
                group.addTask {
                    let request = OrderRequest(
                        clientOrderID: "latency-\(name)-\(index)",
                        receiver: Self.receivers[index % Self.receivers.count], quantity: 65_000)
                    // Timed from when the request was due, so a late start counts; a failed request counts as
                    // never answered.
                    let outcome = await client.placeOrder(request).outcome
                    guard index >= warmUp else { return nil }
                    guard case .ordered = outcome else { return .infinity }
                    return Self.seconds(.now - due) * 1000
                }
            }
            return await group.reduce(into: [Double]()) { if let sample = $1 { $0.append(sample) } }
        }
        return samples
    }

    /// `VmHWM` of /proc/PID/status, in bytes.
    static func peakRSSBytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kilobytes * 1024
    }

    /// `to acknowledged p50 / p99, to read p50 / p99` for the log.
    static func describe(_ latencies: PacedLatencies) -> String {
        String(
            format: "p50 / p99 %.1f / %.1f ms to the acknowledged result, %.1f / %.1f ms to the result read",
            Percentile.of(latencies.toAcknowledged, 50) ?? .nan, Percentile.of(latencies.toAcknowledged, 99) ?? .nan,
            Percentile.of(latencies.toRead, 50) ?? .nan, Percentile.of(latencies.toRead, 99) ?? .nan)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
