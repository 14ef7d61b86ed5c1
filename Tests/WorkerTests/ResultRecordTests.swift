import JSON
import Kafka
import Testing
import Worker

@Suite struct ResultRecordTests {
    static let message = KafkaMessage(
        topic: "purchase-intents", partition: 2, offset: 41, key: Array("k-1".utf8), value: Array("{}".utf8),
        headers: [KafkaHeader(key: "trace", value: Array("abc".utf8))], timestampMs: nil)

    @Test func orderedResultKeepsTheOrderAsReceived() throws {
        let order: JSONValue = [
            "id": "uuid-1", "quantity": 65000, "unknown_field": ["nested": true], "balance": .number("1.5e3"),
        ]
        let record = OutgoingRecord.result(
            of: Self.message, clientOrderID: "k-1", result: .ordered(order: order, duplicate: true), attempts: 2,
            topic: "purchase-results", processedAtMs: 1)
        #expect(record.key == Array("k-1".utf8))
        #expect(record.headers == Self.message.headers)
        let value = try JSONParser.parse(try #require(record.value))
        #expect(value["status"] == "ORDERED")
        #expect(value["duplicate"] == true)
        #expect(value["order"] == order)
        #expect(value["attempts"] == 2)
        #expect(value["source"]?["partition"] == 2)
        #expect(value["source"]?["offset"] == 41)
        #expect(value["error"] == nil)
    }

    @Test func rejectedResultCarriesTheError() throws {
        let record = OutgoingRecord.result(
            of: Self.message, clientOrderID: "k-1",
            result: .rejected(source: .api, code: "INVALID_ADDRESS", message: "bad", httpStatus: 200), attempts: 1,
            topic: "purchase-results", processedAtMs: 1)
        let value = try JSONParser.parse(try #require(record.value))
        #expect(value["status"] == "REJECTED")
        #expect(value["error"]?["source"] == "api")
        #expect(value["error"]?["code"] == "INVALID_ADDRESS")
        #expect(value["error"]?["http_status"] == 200)
        #expect(value["order"] == nil)
    }

    @Test func deadLetterKeepsTheOriginalAndSaysWhy() {
        let reason = IntentDecoder.clientOrderID(fromKey: nil)
        guard case .failure(let why) = reason else {
            Issue.record("expected a reason")
            return
        }
        let record = OutgoingRecord.deadLetter(of: Self.message, reason: why, topic: "purchase-intents.dlq")
        #expect(record.key == Self.message.key)
        #expect(record.value == Self.message.value)
        let headers = Dictionary(record.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) }) {
            $1
        }
        #expect(headers["trace"] == "abc")
        #expect(headers["dlq-reason"] == "missing-key")
        #expect(headers["dlq-source-topic"] == "purchase-intents")
        #expect(headers["dlq-source-partition"] == "2")
        #expect(headers["dlq-source-offset"] == "41")
    }
}
