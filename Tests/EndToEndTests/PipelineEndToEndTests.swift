import CatFee
import CatFeeSimulator
import Foundation
import JSON
import Kafka
import Testing
import Worker

/// The walking skeleton end to end, in one process: mock cluster + simulator + the real pipeline.
@Suite(.serialized) struct PipelineEndToEndTests {
    @Test func twoHundredIntentsWithDuplicatesBadKeysAndInvalidFields() async throws {
        let harness = try Harness(partitions: 3)
        var messages: [Harness.Outgoing] = []
        var validKeys: [String] = []
        for number in 0..<200 {
            let key = "order-\(number)"
            validKeys.append(key)
            messages.append(
                .init(
                    key: Array(key.utf8), value: Harness.intentValue(receiver: Harness.receiver(number)),
                    headers: [KafkaHeader(key: "trace-id", value: Array("t-\(number)".utf8))]))
        }
        // Some keys published twice (a redelivery as far as the worker can tell).
        let repeated = stride(from: 0, to: 200, by: 10).map { "order-\($0)" }
        for key in repeated {
            let number = Int(key.dropFirst(6))!
            messages.append(.init(key: Array(key.utf8), value: Harness.intentValue(receiver: Harness.receiver(number))))
        }
        // Bad keys: dead letters.
        let badKeys: [[UInt8]?] = [nil, [], Array(repeating: 0x61, count: 65), Array("has space".utf8), [0xC3, 0xA9]]
        for key in badKeys {
            messages.append(.init(key: key, value: Harness.intentValue(receiver: Harness.receiver(1))))
        }
        // Values that are not JSON objects: dead letters.
        messages.append(.init(key: Array("not-json".utf8), value: Array(#"{"receiver":"#.utf8)))
        // Invalid fields: REJECTED with no API request.
        let invalid: [(String, [UInt8])] = [
            ("bad-receiver", Array(#"{"receiver":"TXYZ","quantity":65000}"#.utf8)),
            ("low-quantity", Harness.intentValue(receiver: Harness.receiver(3), quantity: 1000)),
            ("float-quantity", Array(#"{"receiver":"\#(Harness.receiver(4))","quantity":65000.0}"#.utf8)),
            ("bad-duration", Array(#"{"receiver":"\#(Harness.receiver(5))","quantity":65000,"duration":"2h"}"#.utf8)),
        ]
        for (key, value) in invalid { messages.append(.init(key: Array(key.utf8), value: value)) }
        try await harness.publish(messages)

        let worker = try harness.startInProcessWorker()
        let done = try await harness.waitUntilAllCommitted()
        try await worker.stop()
        #expect(done, "the worker did not commit every partition's end in time")

        let results = try await harness.results()
        #expect(results.count == 200 + repeated.count + invalid.count)
        let ledger = harness.simulator.ledger()
        for key in validKeys { #expect(ledger.chargesByClientOrderID[key] == 1, "charges for \(key)") }
        #expect(ledger.chargesByClientOrderID.count == 200)
        let ordered = results.filter { $0.status == "ORDERED" }
        #expect(ordered.count == 200 + repeated.count)
        #expect(ordered.filter(\.duplicate).count == repeated.count)
        for key in repeated {
            let copies = ordered.filter { $0.key == key }.sorted { $0.sourceOffset < $1.sourceOffset }
            #expect(copies.count == 2)
            #expect(Set(copies.map(\.orderID)).count == 1, "one order id for \(key)")
            #expect(copies.last?.duplicate == true, "the later copy of \(key) is the duplicate")
        }
        // Headers are carried over.
        let first = try #require(results.first { $0.key == "order-7" })
        #expect(first.headers.contains(KafkaHeader(key: "trace-id", value: Array("t-7".utf8))))

        let rejected = results.filter { $0.status == "REJECTED" }
        #expect(Set(rejected.map(\.key)) == Set(invalid.map(\.0)))
        for result in rejected {
            #expect(result.errorSource == "validation")
            #expect(result.attempts == 0)
        }
        let requestsForRejected = ledger.requests.filter { request in invalid.contains { $0.0 == request.clientOrderID }
        }
        #expect(requestsForRejected.isEmpty, "no API request for locally rejected intents")

        let deadLetters = try await harness.deadLetters()
        #expect(deadLetters.count == badKeys.count + 1)
        let reasons = deadLetters.compactMap { message in
            message.headers.first { $0.key == "dlq-reason" }.map { String(decoding: $0.value ?? [], as: UTF8.self) }
        }
        #expect(
            Set(reasons) == [
                "missing-key", "empty-key", "key-too-long", "key-not-printable-ascii", "value-not-json-object",
            ])
        for message in deadLetters {
            let names = Set(message.headers.map(\.key))
            #expect(
                names.isSuperset(of: ["dlq-reason", "dlq-source-topic", "dlq-source-partition", "dlq-source-offset"]))
        }
        try await harness.checkInvariants(expectedKeys: Set(validKeys), deadLetterCount: badKeys.count + 1)
    }

    /// `/metrics` during a run agrees with what happened (issue 5).
    @Test func metricsMatchWhatHappened() async throws {
        let harness = try Harness(partitions: 2)
        var messages: [Harness.Outgoing] = (0..<30).map { number in
            .init(key: Array("m-\(number)".utf8), value: Harness.intentValue(receiver: Harness.receiver(number)))
        }
        messages += (0..<5).map { number in
            .init(key: Array("m-\(number)".utf8), value: Harness.intentValue(receiver: Harness.receiver(number)))
        }
        messages.append(
            .init(key: Array("m-low".utf8), value: Harness.intentValue(receiver: Harness.receiver(1), quantity: 5)))
        messages.append(.init(key: nil, value: Array("{}".utf8)))
        messages.append(.init(key: Array("m-array".utf8), value: Array("[]".utf8)))
        try await harness.publish(messages)
        let worker = try harness.startInProcessWorker()
        let done = try await harness.waitUntilAllCommitted()
        #expect(done)
        let port = try #require(worker.service.boundHealthPort)
        let text = try await HTTPGet.fetch("http://127.0.0.1:\(port)/metrics").body
        let health = try await HTTPGet.fetch("http://127.0.0.1:\(port)/healthz")
        let ready = try await HTTPGet.fetch("http://127.0.0.1:\(port)/readyz")
        try await worker.stop()
        #expect(health.status == 200)
        #expect(ready.status == 200)
        let ledger = harness.simulator.ledger()
        #expect(HTTPGet.metric(text, "catfee_intents_consumed_total") == Double(messages.count))
        #expect(HTTPGet.metric(text, "catfee_results_total{status=\"ORDERED\"}") == 35)
        #expect(HTTPGet.metric(text, "catfee_results_total{status=\"REJECTED\"}") == 1)
        #expect(HTTPGet.metric(text, "catfee_duplicates_total") == 5)
        #expect(HTTPGet.metric(text, "catfee_dead_letters_total{reason=\"missing-key\"}") == 1)
        #expect(HTTPGet.metric(text, "catfee_dead_letters_total{reason=\"value-not-json-object\"}") == 1)
        #expect(HTTPGet.metric(text, "catfee_api_requests_total{class=\"2xx\"}") == Double(ledger.requests.count))
        #expect(HTTPGet.metric(text, "catfee_api_request_duration_seconds_count") == Double(ledger.requests.count))
        #expect(HTTPGet.metric(text, "catfee_intent_latency_seconds_count") == Double(messages.count))
        #expect(HTTPGet.metric(text, "catfee_in_flight_intents") == 0)
        #expect(HTTPGet.metric(text, "catfee_rebalances_total{kind=\"assign\"}") ?? 0 >= 1)
        #expect(text.contains("# TYPE catfee_consumer_lag gauge"))
        #expect(!text.contains(Harness.apiSecret) && !text.contains(Harness.apiKey))
    }
}
