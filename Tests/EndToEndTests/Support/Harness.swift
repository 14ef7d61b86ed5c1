import CatFee
import CatFeeSimulator
import Foundation
import JSON
import Kafka
import Testing
import Worker

/// A mock Kafka cluster and a CatFee simulator owned by the test process, plus helpers to publish intents, run
/// workers (in-process or as child processes) and read back what happened.
final class Harness: Sendable {
    static let intents = "purchase-intents"
    static let results = "purchase-results"
    static let deadLetters = "purchase-intents.dlq"
    static let apiKey = "test-api-key-0123"
    static let apiSecret = "test-api-secret-4567"

    let cluster: KafkaMockCluster
    let simulator: CatFeeSimulator
    let group: String

    init(
        partitions: Int32 = 3, resultPartitions: Int32 = 3, brokers: Int = 3,
        configure: (inout SimulatorConfiguration) -> Void = { _ in }
    ) throws {
        cluster = try KafkaMockCluster(brokers: brokers)
        try cluster.createTopic(Harness.intents, partitions: partitions)
        try cluster.createTopic(Harness.results, partitions: resultPartitions)
        try cluster.createTopic(Harness.deadLetters, partitions: 1)
        var configuration = SimulatorConfiguration()
        configuration.apiKey = Harness.apiKey
        configuration.apiSecret = Harness.apiSecret
        configure(&configuration)
        simulator = try CatFeeSimulator(configuration: configuration)
        group = "test-group-\(UUID().uuidString.prefix(8))"
    }

    deinit {
        simulator.stop()
        cluster.close()
    }

    var bootstrap: String { cluster.bootstrapServers }

    // MARK: - Intents

    static func receiver(_ seed: Int) -> String {
        TronAddressValidator.address(
            account: (0..<20).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed &* 7 &+ seed >> 8) })
    }

    static func intentValue(receiver: String, quantity: Int64 = 65_000, extra: String = "") -> [UInt8] {
        Array(#"{"receiver":"\#(receiver)","quantity":\#(quantity),"duration":"1h"\#(extra)}"#.utf8)
    }

    struct Outgoing: Sendable {
        var key: [UInt8]?
        var value: [UInt8]?
        var partition: Int32?
        var headers: [KafkaHeader] = []
    }

    func publish(_ messages: [Outgoing]) async throws {
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": bootstrap, "linger.ms": "2"]))
        defer { producer.close(timeoutMs: 5000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: messages.count, by: 500) {
                let slice = Array(messages[chunk..<min(chunk + 500, messages.count)])
                group.addTask {
                    for message in slice {
                        let result = await producer.send(
                            topic: Harness.intents, partition: message.partition, key: message.key,
                            value: message.value,
                            headers: message.headers)
                        if case .failure(let error) = result { throw error }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    // MARK: - Workers

    /// librdkafka settings that make the mock cluster's group protocol settle fast (the mock holds a rebalance for
    /// up to the session timeout) and commit often, so tests wait less. The worker's defaults are tested elsewhere.
    static let fastGroupProperties: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catfee-fast-group.properties").path
        try? "session.timeout.ms=4000\nheartbeat.interval.ms=400\nauto.commit.interval.ms=1000\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        var environment = [
            "KAFKA_PROPERTIES_FILE": Harness.fastGroupProperties,
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "KAFKA_GROUP_ID": group,
            "CATFEE_BASE_URL": simulator.baseURL,
            "CATFEE_API_KEY": Harness.apiKey,
            "CATFEE_API_SECRET": Harness.apiSecret,
            "HTTP_LISTEN": "127.0.0.1:0",
            "LOG_LEVEL": "warning",
            "LOG_FORMAT": "text",
            "ACCOUNT_POLL_INTERVAL_MS": "0",
            "SHUTDOWN_TIMEOUT_MS": "15000",
            "CATFEE_RETRY_INITIAL_MS": "20",
            "CATFEE_RETRY_MAX_MS": "500",
        ]
        environment.merge(overrides) { $1 }
        return environment
    }

    /// Runs a worker in this process until `stop()` is called on the returned handle.
    func startInProcessWorker(_ overrides: [String: String] = [:]) throws -> InProcessWorker {
        let configuration = try WorkerConfiguration.load(environment: environment(overrides))
        let logger = Logger(level: configuration.logLevel, format: .text)
        let service = WorkerService(configuration: configuration, logger: logger)
        let task = Task { try await service.run() }
        return InProcessWorker(service: service, task: task)
    }

    // MARK: - Progress and outcome

    func highWatermarks() async throws -> [Int32: Int64] {
        try await KafkaGroupInspector.highWatermarks(bootstrapServers: bootstrap, topic: Harness.intents)
    }

    func committedOffsets() async throws -> [Int32: Int64] {
        try await KafkaGroupInspector.committedOffsets(
            bootstrapServers: bootstrap, group: group, topic: Harness.intents)
    }

    /// Waits until the group's committed offsets reach the end of every partition of the intents topic.
    func waitUntilAllCommitted(timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        let high = try await highWatermarks()
        while ContinuousClock.now < deadline {
            let committed = try await committedOffsets()
            if high.allSatisfy({ $0.value == 0 || committed[$0.key] == $0.value }) { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    struct ResultRecord: Sendable {
        var key: String
        var status: String
        var duplicate: Bool
        var orderID: String?
        var errorSource: String?
        var errorCode: String?
        var attempts: Int64
        var sourcePartition: Int64
        var sourceOffset: Int64
        var json: JSONValue
        var headers: [KafkaHeader]
    }

    func results() async throws -> [ResultRecord] {
        try await KafkaTopicReader.readAll(bootstrapServers: bootstrap, topic: Harness.results).map { message in
            let json = try JSONParser.parse(message.value ?? [])
            return ResultRecord(
                key: String(decoding: message.key ?? [], as: UTF8.self),
                status: json["status"]?.stringValue ?? "",
                duplicate: json["duplicate"]?.boolValue ?? false,
                orderID: json["order"]?["id"]?.stringValue,
                errorSource: json["error"]?["source"]?.stringValue,
                errorCode: json["error"]?["code"]?.stringValue,
                attempts: json["attempts"]?.integerValue ?? -1,
                sourcePartition: json["source"]?["partition"]?.integerValue ?? -1,
                sourceOffset: json["source"]?["offset"]?.integerValue ?? -1,
                json: json,
                headers: message.headers)
        }
    }

    func deadLetters() async throws -> [KafkaMessage] {
        try await KafkaTopicReader.readAll(bootstrapServers: bootstrap, topic: Harness.deadLetters)
    }

    /// The invariants every reliability test checks: at most one charge per client_order_id, every intent has a
    /// result or a dead letter, one order id per key, committed offsets at the end of every partition.
    func checkInvariants(
        expectedKeys: Set<String>, deadLetterCount: Int, sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        let ledger = simulator.ledger()
        let overcharged = ledger.chargesByClientOrderID.filter { $0.value > 1 }
        #expect(overcharged.isEmpty, "charged more than once: \(overcharged)", sourceLocation: sourceLocation)
        let results = try await results()
        let resultKeys = Set(results.map(\.key))
        #expect(
            expectedKeys.subtracting(resultKeys).isEmpty,
            "intents without a result: \(expectedKeys.subtracting(resultKeys).sorted().prefix(10))",
            sourceLocation: sourceLocation)
        var orderIDs: [String: Set<String>] = [:]
        for result in results where result.status == "ORDERED" {
            orderIDs[result.key, default: []].insert(result.orderID ?? "?")
        }
        let split = orderIDs.filter { $0.value.count > 1 }
        #expect(split.isEmpty, "keys with different order ids: \(split)", sourceLocation: sourceLocation)
        #expect(try await deadLetters().count >= deadLetterCount, sourceLocation: sourceLocation)
        let high = try await highWatermarks().filter { $0.value > 0 }
        let committed = try await committedOffsets().filter { high[$0.key] != nil }
        #expect(committed == high, "committed \(committed) != end \(high)", sourceLocation: sourceLocation)
    }
}

/// A worker running inside the test process.
struct InProcessWorker: Sendable {
    let service: WorkerService
    let task: Task<Void, any Error>

    func stop() async throws {
        service.requestShutdown()
        try await task.value
    }
}
