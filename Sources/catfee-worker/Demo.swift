import CatFee
import CatFeeSimulator
import Foundation
import JSON
import Kafka
import Worker

/// `catfee-worker demo`: the embedded default. An in-process mock Kafka cluster and CatFee simulator, a set of
/// sample intents (a redelivered key, an invalid receiver, an API refusal, malformed and key-less messages), the
/// real worker pipeline over them, a summary of what happened, and exit 0 when every intent is accounted for.
enum Demo {
    static let intents = "purchase-intents"
    static let results = "purchase-results"
    static let deadLetters = "purchase-intents.dlq"
    static let group = "catfee-worker-demo"

    struct Sample {
        var key: String?
        var value: String
        var note: String
    }

    static func address(_ seed: UInt8) -> String {
        TronAddressValidator.address(account: (0..<20).map { UInt8(truncatingIfNeeded: Int($0) * 7 + Int(seed)) })
    }

    static func samples(unactivated: String) -> [Sample] {
        var samples: [Sample] = []
        for number in 1...8 {
            let key = String(format: "demo-order-%03d", number)
            samples.append(
                Sample(
                    key: key,
                    value:
                        #"{"receiver":"\#(address(UInt8(number)))","quantity":\#(65_000 + number * 1_000),"duration":"1h"}"#,
                    note: "valid intent"))
        }
        samples.append(
            Sample(
                key: "demo-order-003",
                value: #"{"receiver":"\#(address(3))","quantity":68000,"duration":"1h"}"#,
                note: "redelivered key (same intent published again)"))
        var broken = Array(address(9))
        broken[10] = broken[10] == "A" ? "B" : "A"
        samples.append(
            Sample(
                key: "demo-bad-receiver",
                value: #"{"receiver":"\#(String(broken))","quantity":65000}"#,
                note: "invalid receiver checksum"))
        samples.append(
            Sample(
                key: "demo-low-quantity", value: #"{"receiver":"\#(address(10))","quantity":1000}"#,
                note: "quantity below 65000"))
        samples.append(
            Sample(
                key: "demo-not-activated",
                value: #"{"receiver":"\#(unactivated)","quantity":65000,"activate":false}"#,
                note: "CatFee refuses: receiver not activated"))
        samples.append(
            Sample(key: "demo-malformed", value: #"{"receiver": "T", "quantity": 65"#, note: "truncated JSON"))
        samples.append(Sample(key: nil, value: #"{"receiver":"\#(address(12))","quantity":65000}"#, note: "no key"))
        return samples
    }

    static func run() async -> Int32 {
        let out = Output()
        do {
            out.line("catfee-worker demo: starting an in-process Kafka mock cluster and CatFee simulator")
            let cluster = try KafkaMockCluster(brokers: 3)
            try cluster.createTopic(intents, partitions: 3)
            try cluster.createTopic(results, partitions: 3)
            try cluster.createTopic(deadLetters, partitions: 1)
            let unactivated = address(11)
            var simulatorConfiguration = SimulatorConfiguration()
            simulatorConfiguration.apiKey = "demo-api-key"
            simulatorConfiguration.apiSecret = "demo-api-secret"
            simulatorConfiguration.unactivatedReceivers = [unactivated]
            simulatorConfiguration.faults.latencyMs = 20
            let simulator = try CatFeeSimulator(configuration: simulatorConfiguration)
            defer {
                simulator.stop()
                cluster.close()
            }
            out.line("  kafka: \(cluster.bootstrapServers)   catfee simulator: \(simulator.baseURL)")

            let samples = samples(unactivated: unactivated)
            let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers]))
            for sample in samples {
                let result = await producer.send(
                    topic: intents, key: sample.key.map { Array($0.utf8) }, value: Array(sample.value.utf8),
                    headers: [KafkaHeader(key: "demo-note", value: Array(sample.note.utf8))])
                if case .failure(let error) = result { throw DemoError("publishing a sample failed: \(error)") }
            }
            producer.close(timeoutMs: 5000)
            out.line("  published \(samples.count) sample intents to \(intents)")

            let configuration = try WorkerConfiguration.load(environment: [
                "KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers,
                "KAFKA_GROUP_ID": group,
                "CATFEE_BASE_URL": simulator.baseURL,
                "CATFEE_API_KEY": simulatorConfiguration.apiKey,
                "CATFEE_API_SECRET": simulatorConfiguration.apiSecret,
                "HTTP_LISTEN": "127.0.0.1:0",
                "LOG_LEVEL": ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "error",
                "LOG_FORMAT": "text",
                "ACCOUNT_POLL_INTERVAL_MS": "0",
                "SHUTDOWN_TIMEOUT_MS": "10000",
            ])
            let logger = Logger(level: configuration.logLevel, format: .text)
            let service = WorkerService(configuration: configuration, logger: logger)
            let running = Task { try await service.run() }
            out.line("  worker running (group \(group)); waiting until every intent's offset is committed")

            let deadline = ContinuousClock.now + .seconds(60)
            var done = false
            while ContinuousClock.now < deadline {
                let high = try await KafkaGroupInspector.highWatermarks(
                    bootstrapServers: cluster.bootstrapServers, topic: intents)
                let committed = try await KafkaGroupInspector.committedOffsets(
                    bootstrapServers: cluster.bootstrapServers, group: group, topic: intents)
                if high.allSatisfy({ committed[$0.key] == $0.value }) {
                    done = true
                    break
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            service.requestShutdown()
            try await running.value
            guard done else { throw DemoError("timed out waiting for the worker to commit every intent") }

            let resultMessages = try await KafkaTopicReader.readAll(
                bootstrapServers: cluster.bootstrapServers, topic: results)
            let deadLetterMessages = try await KafkaTopicReader.readAll(
                bootstrapServers: cluster.bootstrapServers, topic: deadLetters)
            let ledger = simulator.ledger()
            return report(
                samples: samples, results: resultMessages, deadLetters: deadLetterMessages, ledger: ledger, out: out)
        } catch {
            out.line("catfee-worker demo failed: \(error)")
            return 1
        }
    }

    static func report(
        samples: [Sample], results: [KafkaMessage], deadLetters: [KafkaMessage], ledger: SimulatorLedger, out: Output
    ) -> Int32 {
        out.line("")
        out.line("Results (\(results.count) on \(self.results)):")
        var ordered = 0
        var duplicates = 0
        var rejected = 0
        var orderIDs: [String: Set<String>] = [:]
        for message in results.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            guard let value = message.value, let json = try? JSONParser.parse(value) else { continue }
            let key = json["client_order_id"]?.stringValue ?? "?"
            let status = json["status"]?.stringValue ?? "?"
            let source = json["source"]
            let from =
                "\(source?["topic"]?.stringValue ?? "?")/\(source?["partition"]?.integerValue ?? -1)@\(source?["offset"]?.integerValue ?? -1)"
            let attempts = json["attempts"]?.integerValue ?? -1
            if status == "ORDERED" {
                let id = json["order"]?["id"]?.stringValue ?? "?"
                let duplicate = json["duplicate"]?.boolValue == true
                orderIDs[key, default: []].insert(id)
                if duplicate { duplicates += 1 } else { ordered += 1 }
                out.line(
                    "  ORDERED   \(pad(key, 20)) order \(id)\(duplicate ? "  (duplicate: already ordered, not charged again)" : "")  from \(from), \(attempts) request(s)"
                )
            } else {
                rejected += 1
                let error = json["error"]
                out.line(
                    "  REJECTED  \(pad(key, 20)) \(error?["source"]?.stringValue ?? "?"): \(error?["code"]?.stringValue ?? "?") (\(error?["message"]?.stringValue ?? ""))  from \(from)"
                )
            }
        }
        out.line("")
        out.line("Dead letters (\(deadLetters.count) on \(self.deadLetters)):")
        for message in deadLetters {
            let headers = Dictionary(message.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) })
            { $1 }
            let key = message.key.map { String(decoding: $0, as: UTF8.self) } ?? "(no key)"
            out.line(
                "  \(pad(key, 20)) reason \(headers["dlq-reason"] ?? "?"): \(headers["dlq-detail"] ?? "")  from \(headers["dlq-source-topic"] ?? "?")/\(headers["dlq-source-partition"] ?? "?")@\(headers["dlq-source-offset"] ?? "?")"
            )
        }
        let charges = ledger.chargesByClientOrderID
        out.line("")
        out.line(
            "CatFee simulator ledger: \(ledger.orders.count) orders, \(charges.values.reduce(0, +)) charges, \(ledger.requests.count) API requests"
        )
        let overcharged = charges.filter { $0.value > 1 }
        let inconsistent = orderIDs.filter { $0.value.count > 1 }
        let accounted = results.count + deadLetters.count
        out.line(
            "Summary: \(samples.count) intents → \(ordered) ordered, \(duplicates) deduplicated, \(rejected) rejected, \(deadLetters.count) dead-lettered; every offset committed."
        )
        var problems: [String] = []
        if accounted != samples.count {
            problems.append("\(accounted) results + dead letters for \(samples.count) intents")
        }
        if !overcharged.isEmpty { problems.append("charged more than once: \(overcharged.keys.sorted())") }
        if !inconsistent.isEmpty { problems.append("different order ids for one key: \(inconsistent.keys.sorted())") }
        if problems.isEmpty {
            out.line("Guarantee held: no client_order_id charged twice, every intent has a result or a dead letter.")
            return 0
        }
        out.line("PROBLEMS: " + problems.joined(separator: "; "))
        return 1
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    final class Output: Sendable {
        func line(_ text: String) {
            print(text)
            fflush(nil)
        }
    }

    struct DemoError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
