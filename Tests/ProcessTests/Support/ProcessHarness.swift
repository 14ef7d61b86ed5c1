import CatFee
import CatFeeSimulator
import Foundation
import JSON
import Kafka
import Synchronization
import Testing

/// The process-level harness: owns a mock Kafka cluster and a CatFee simulator in the test process and runs
/// `catfee-worker run` as child processes against them, treating the worker as a black box.
///
/// Every child is SIGKILLed by ``killAll()`` (call it in a `defer`) and at deinit, so no test leaks processes.
final class ProcessHarness: Sendable {
    static let intents = "purchase-intents"
    static let results = "purchase-results"
    static let deadLetters = "purchase-intents.dlq"
    static let apiKey = "process-test-key-0123"
    static let apiSecret = "process-test-secret-4567"
    /// Group timings that let joins, leaves and evictions of killed members settle in seconds on the mock cluster.
    static let fastGroupProperties = ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"]

    let cluster: KafkaMockCluster
    let simulator: CatFeeSimulator
    let group: String
    let directory: URL
    private let binary: URL
    private let workers = Mutex<[WorkerProcess]>([])

    /// Starts the cluster (topics created) and the simulator.
    /// - Throws: when the worker binary is missing (run `swift build` first), or the cluster or simulator fail.
    init(
        partitions: Int32 = 3, resultPartitions: Int32 = 3, brokers: Int = 3,
        configure: (inout SimulatorConfiguration) -> Void = { _ in }
    ) throws {
        binary = try WorkerBinary.locate()
        cluster = try KafkaMockCluster(brokers: brokers)
        try cluster.createTopic(ProcessHarness.intents, partitions: partitions)
        try cluster.createTopic(ProcessHarness.results, partitions: resultPartitions)
        try cluster.createTopic(ProcessHarness.deadLetters, partitions: 1)
        var configuration = SimulatorConfiguration()
        configuration.apiKey = ProcessHarness.apiKey
        configuration.apiSecret = ProcessHarness.apiSecret
        configure(&configuration)
        simulator = try CatFeeSimulator(configuration: configuration)
        let id = UUID().uuidString.prefix(8)
        group = "process-group-\(id)"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("catfee-process-tests-\(id)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        killAll()
        simulator.stop()
        cluster.close()
        try? FileManager.default.removeItem(at: directory)
    }

    var bootstrap: String { cluster.bootstrapServers }

    // MARK: - Intents

    /// A valid TRON receiver derived from `seed`.
    static func receiver(_ seed: Int) -> String {
        TronAddressValidator.address(
            account: (0..<20).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ seed >> 8) })
    }

    /// The value of a valid intent.
    static func intentValue(receiver: String, quantity: Int64 = 65_000) -> [UInt8] {
        Array(#"{"receiver":"\#(receiver)","quantity":\#(quantity),"duration":"1h"}"#.utf8)
    }

    /// `count` distinct keys `prefix-0` ... `prefix-(count-1)`.
    static func keys(_ count: Int, prefix: String = "intent") -> [String] {
        (0..<count).map { "\(prefix)-\($0)" }
    }

    /// Publishes one valid intent per key (to `partition`, or where the partitioner puts it) and waits for the
    /// acknowledgements.
    func publish(keys: [String], partition: Int32? = nil) async throws {
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": bootstrap, "linger.ms": "2"]))
        defer { producer.close(timeoutMs: 5000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: keys.count, by: 250) {
                let slice = keys[chunk..<min(chunk + 250, keys.count)]
                let base = chunk
                group.addTask {
                    for (index, key) in slice.enumerated() {
                        let value = ProcessHarness.intentValue(receiver: ProcessHarness.receiver(base + index))
                        let result = await producer.send(
                            topic: ProcessHarness.intents, partition: partition, key: Array(key.utf8), value: value)
                        if case .failure(let error) = result { throw error }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    // MARK: - Workers

    /// The environment of a worker: the harness's cluster, group and simulator, fast test timings, then
    /// `overrides`; `properties` (plus ``fastGroupProperties`` unless overridden) go to KAFKA_PROPERTIES_FILE.
    func environment(
        name: String, overrides: [String: String], properties: [String: String]
    ) throws -> [String: String] {
        var environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "KAFKA_GROUP_ID": group,
            "CATFEE_BASE_URL": simulator.baseURL,
            "CATFEE_API_KEY": ProcessHarness.apiKey,
            "CATFEE_API_SECRET": ProcessHarness.apiSecret,
            "HTTP_LISTEN": "127.0.0.1:0",
            "LOG_LEVEL": "info",
            "LOG_FORMAT": "text",
            "ACCOUNT_POLL_INTERVAL_MS": "0",
            "SHUTDOWN_TIMEOUT_MS": "15000",
            "CATFEE_RETRY_INITIAL_MS": "20",
            "CATFEE_RETRY_MAX_MS": "500",
        ]
        let merged = ProcessHarness.fastGroupProperties.merging(properties) { $1 }
        let file = directory.appendingPathComponent("\(name).properties")
        let text = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)\n" }.joined()
        try Data(text.utf8).write(to: file)
        environment["KAFKA_PROPERTIES_FILE"] = file.path
        environment.merge(overrides) { $1 }
        return environment
    }

    /// Spawns `catfee-worker run`; see ``environment(name:overrides:properties:)`` for its configuration.
    @discardableResult
    func startWorker(
        _ overrides: [String: String] = [:], properties: [String: String] = [:]
    ) throws -> WorkerProcess {
        let name = workers.withLock { "worker-\($0.count + 1)" }
        let worker = try WorkerProcess(
            name: name, binary: binary,
            environment: environment(name: name, overrides: overrides, properties: properties),
            logURL: directory.appendingPathComponent("\(name).log"))
        workers.withLock { $0.append(worker) }
        return worker
    }

    /// SIGKILLs every child still running (synchronous, for `defer`).
    func killAll() {
        for worker in workers.withLock({ $0 }) { worker.send(SIGKILL) }
    }

    /// The last lines of every worker's log, for failure messages.
    func diagnostics(lines: Int = 30) -> String {
        workers.withLock { $0 }.map { worker in
            "--- \(worker.name) (pid \(worker.pid), \(worker.exit.map(\.description) ?? "running")):\n"
                + worker.logTail(lines: lines)
        }.joined(separator: "\n")
    }

    // MARK: - Progress

    /// The end offset of every partition of the intents topic.
    func highWatermarks() async throws -> [Int32: Int64] {
        try await KafkaGroupInspector.highWatermarks(bootstrapServers: bootstrap, topic: ProcessHarness.intents)
    }

    /// The group's committed offsets on the intents topic (negative where none).
    func committedOffsets() async throws -> [Int32: Int64] {
        try await KafkaGroupInspector.committedOffsets(
            bootstrapServers: bootstrap, group: group, topic: ProcessHarness.intents)
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes; returns whether it held.
    func waitUntil(timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    /// Waits until the committed offsets reach the end of every partition; gives up early when no worker runs.
    func waitUntilAllCommitted(timeout: Duration = .seconds(90)) async throws -> Bool {
        let high = try await highWatermarks()
        return try await waitUntil(timeout: timeout) {
            let committed = try await committedOffsets()
            if high.allSatisfy({ committed[$0.key] == $0.value }) { return true }
            if !workers.withLock({ $0 }).contains(where: \.isRunning) {
                throw HarnessError(description: "every worker exited before the end was committed")
            }
            return false
        }
    }

    /// How many distinct client_order_ids the simulator charged so far.
    var chargedCount: Int { simulator.ledger().chargesByClientOrderID.count }

    // MARK: - Outcome

    /// One record of the results topic, decoded.
    struct ResultRecord: Sendable {
        var key: String
        var status: String
        var duplicate: Bool
        var orderID: String?
        var sourcePartition: Int64
        var sourceOffset: Int64
    }

    /// Every record of the results topic.
    func results() async throws -> [ResultRecord] {
        try await KafkaTopicReader.readAll(
            bootstrapServers: bootstrap, topic: ProcessHarness.results, timeoutMs: 30_000
        )
        .map { message in
            let json = try JSONParser.parse(message.value ?? [])
            return ResultRecord(
                key: String(decoding: message.key ?? [], as: UTF8.self),
                status: json["status"]?.stringValue ?? "",
                duplicate: json["duplicate"]?.boolValue ?? false,
                orderID: json["order"]?["id"]?.stringValue,
                sourcePartition: json["source"]?["partition"]?.integerValue ?? -1,
                sourceOffset: json["source"]?["offset"]?.integerValue ?? -1)
        }
    }

    /// Every record of the dead-letter topic.
    func deadLetters() async throws -> [KafkaMessage] {
        try await KafkaTopicReader.readAll(bootstrapServers: bootstrap, topic: ProcessHarness.deadLetters)
    }

    /// The invariants every process test checks: at most one charge per client_order_id, every intent has a
    /// result or a dead letter, the results of one key carry one order id, and the committed offsets are at the
    /// end of every partition. Prints the workers' log tails when one fails.
    func checkInvariants(
        expectedKeys: Set<String>, deadLetterCount: Int = 0, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        var failures: [String] = []
        let ledger = simulator.ledger()
        let overcharged = ledger.chargesByClientOrderID.filter { $0.value > 1 }
        if !overcharged.isEmpty { failures.append("charged more than once: \(overcharged)") }
        let results = try await results()
        let missing = expectedKeys.subtracting(results.map(\.key))
        if !missing.isEmpty {
            failures.append("\(missing.count) intents without a result: \(missing.sorted().prefix(10))")
        }
        var orderIDs: [String: Set<String>] = [:]
        for result in results where result.status == "ORDERED" {
            orderIDs[result.key, default: []].insert(result.orderID ?? "?")
        }
        let split = orderIDs.filter { $0.value.count > 1 }
        if !split.isEmpty { failures.append("keys with different order ids: \(split)") }
        let deadLetters = try await deadLetters().count
        if deadLetters != deadLetterCount {
            failures.append("\(deadLetters) dead letters, expected \(deadLetterCount)")
        }
        let high = try await highWatermarks()
        let committed = try await committedOffsets()
        if committed != high { failures.append("committed \(committed) != end \(high)") }
        #expect(
            failures.isEmpty, "\(failures.joined(separator: "; "))\n\(diagnostics())", sourceLocation: sourceLocation)
    }
}

/// A harness-level failure (not an assertion of the worker's behaviour).
struct HarnessError: Error, CustomStringConvertible {
    var description: String
}
