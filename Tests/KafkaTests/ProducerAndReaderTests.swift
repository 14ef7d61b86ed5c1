import Foundation
import Kafka
import Synchronization
import Testing

@Suite(.serialized) struct ProducerAndReaderTests {
    @Test func producedMessagesReadBackIntact() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        defer { cluster.close() }
        let topic = uniqueName("intents")
        try cluster.createTopic(topic, partitions: 3)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers]))
        defer { producer.close(timeoutMs: 1000) }

        let reports = try await produce(producer, topic: topic, count: 100)
        #expect(reports.allSatisfy { $0.offset >= 0 && $0.topic == topic })

        let messages = try await KafkaTopicReader.readAll(bootstrapServers: cluster.bootstrapServers, topic: topic)
        #expect(messages.count == 100)
        #expect(Set(messages.map(\.partition)).count == 3)
        for message in messages {
            let key = String(decoding: try #require(message.key), as: UTF8.self)
            let index = try #require(Int(key.dropFirst(4)))
            #expect(message.value == Array("value-\(index)".utf8))
            #expect(message.headers == [KafkaHeader(key: "index", value: Array("\(index)".utf8))])
            #expect(message.timestampMs != nil)
        }
        let highs = try await KafkaGroupInspector.highWatermarks(
            bootstrapServers: cluster.bootstrapServers, topic: topic)
        #expect(highs.values.reduce(0, +) == 100)
    }

    @Test func nullAndEmptyValuesAndHeadersSurvive() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        defer { cluster.close() }
        let topic = uniqueName("nulls")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers]))
        defer { producer.close(timeoutMs: 1000) }
        let headers = [KafkaHeader(key: "null", value: nil), KafkaHeader(key: "empty", value: [])]
        _ = try await producer.send(topic: topic, key: nil, value: nil, headers: headers).get()
        _ = try await producer.send(topic: topic, key: [], value: []).get()

        let messages = try await KafkaTopicReader.readAll(bootstrapServers: cluster.bootstrapServers, topic: topic)
        try #require(messages.count == 2)
        #expect(messages[0].key == nil)
        #expect(messages[0].value == nil)
        #expect(messages[0].headers == headers)
        #expect(messages[1].key == [])
        #expect(messages[1].value == [])
    }

    @Test func pushedProduceErrorIsRetriedAndDelivered() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        defer { cluster.close() }
        let topic = uniqueName("retry")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(
            config: KafkaConfig([
                "bootstrap.servers": cluster.bootstrapServers, "max.in.flight.requests.per.connection": "1",
                "retry.backoff.ms": "50",
            ]))
        defer { producer.close(timeoutMs: 1000) }
        _ = try await producer.send(topic: topic, key: [1], value: [1]).get()  // connection and producer id ready
        cluster.pushRequestErrors(
            apiKey: KafkaAPIKey.produce,
            errors: [KafkaErrorCode.notEnoughReplicas, KafkaErrorCode.requestTimedOut])

        let report = try await producer.send(topic: topic, key: [2], value: [2]).get()
        #expect(report.offset == 1)
        let messages = try await KafkaTopicReader.readAll(bootstrapServers: cluster.bootstrapServers, topic: topic)
        #expect(messages.map(\.value) == [[1], [2]])
    }

    @Test func messageTimeoutWithLeaderDownFailsTheDelivery() async throws {
        let cluster = try KafkaMockCluster(brokers: 2)
        defer { cluster.close() }
        let topic = uniqueName("timeout")
        try cluster.createTopic(topic, partitions: 1)
        try cluster.setPartitionLeader(topic: topic, partition: 0, broker: 1)
        let producer = try KafkaProducer(
            config: KafkaConfig(["bootstrap.servers": cluster.bootstrapServers, "message.timeout.ms": "1500"]))
        defer { producer.close(timeoutMs: 0) }
        try cluster.setBrokerDown(1)

        let started = Date()
        let result = await producer.send(topic: topic, partition: 0, key: [1], value: [1])
        guard case .failure(let error) = result else {
            Issue.record("expected a delivery error, got \(result)")
            return
        }
        #expect(error.code == KafkaErrorCode.messageTimedOut)
        #expect(error.isRetriable)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func invalidPropertyNamesTheProperty() {
        #expect {
            _ = try KafkaProducer(config: KafkaConfig(["no.such.property": "1"]))
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.message.contains("no.such.property") && error.code == KafkaErrorCode.invalidArgument
        }
        #expect {
            _ = try KafkaConsumer(config: KafkaConfig(["session.timeout.ms": "banana"]))
        } throws: { error in
            (error as? KafkaError)?.message.contains("session.timeout.ms") == true
        }
    }

    @Test func closedProducerFailsSendSynchronously() throws {
        let producer = try KafkaProducer(config: KafkaConfig(["bootstrap.servers": "127.0.0.1:1"]))
        producer.close(timeoutMs: 0)
        let failed = Mutex(false)
        producer.send(topic: "t", key: nil, value: [1]) { result in
            if case .failure(let error) = result, error.code == KafkaErrorCode.destroy { failed.withLock { $0 = true } }
        }
        #expect(failed.withLock { $0 })
    }
}
