import CatFee
import JSON
import Kafka
import Synchronization
import Worker

/// CatFee in memory: keys in `heldKeys` wait until released; keys in `refusingAccountKeys` get an account-wide
/// refusal; everything else is ordered at once. Records the order of calls.
final class FakeOrders: OrderPlacing {
    private struct State {
        var heldKeys: Set<String> = []
        var released: Set<String> = []
        var refusingAccountKeys: Set<String> = []
        var calls: [String] = []
    }

    private let state = Mutex(State())

    func hold(_ keys: Set<String>) { state.withLock { $0.heldKeys.formUnion(keys) } }
    func refuseAccount(for keys: Set<String>) { state.withLock { $0.refusingAccountKeys.formUnion(keys) } }
    func release(_ key: String) { state.withLock { _ = $0.released.insert(key) } }
    var calls: [String] { state.withLock { $0.calls } }

    func placeOrder(_ request: OrderRequest) async -> OrderAttempt {
        let key = request.clientOrderID
        let (held, refused) = state.withLock { state in
            state.calls.append(key)
            return (state.heldKeys.contains(key), state.refusingAccountKeys.contains(key))
        }
        if refused {
            return OrderAttempt(
                outcome: .accountBlocked(
                    .insufficientBalance(code: "INSUFFICIENT_BALANCE", message: "balance too low")),
                httpStatus: 200, latency: .zero)
        }
        while held, !Task.isCancelled, !state.withLock({ $0.released.contains(key) }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        return OrderAttempt(
            outcome: .ordered(order: .object([("id", .string("order-\(key)"))]), duplicate: false), httpStatus: 200,
            latency: .zero)
    }
}

/// A broker in memory: acknowledges every record after `delay`.
final class FakePublisher: RecordPublishing {
    private let records = Mutex<[OutgoingRecord]>([])
    let delay: Duration

    init(delay: Duration = .zero) { self.delay = delay }

    var published: [OutgoingRecord] { records.withLock { $0 } }

    func publish(_ record: OutgoingRecord, completion: @escaping @Sendable (Result<Void, KafkaError>) -> Void) {
        records.withLock { $0.append(record) }
        guard delay > .zero else { return completion(.success(())) }
        Task { [delay] in
            try? await Task.sleep(for: delay)
            completion(.success(()))
        }
    }
}

/// The consumer operations in memory: what was paused, stored and committed.
final class FakeConsumerControl: ConsumerControl {
    private struct State {
        var stored: [KafkaTopicPartition: [Int64]] = [:]
        var committed: [[KafkaTopicPartition: Int64]] = []
        var paused: Set<KafkaTopicPartition> = []
    }

    private let state = Mutex(State())

    var stored: [KafkaTopicPartition: [Int64]] { state.withLock { $0.stored } }
    var committed: [[KafkaTopicPartition: Int64]] { state.withLock { $0.committed } }
    var paused: Set<KafkaTopicPartition> { state.withLock { $0.paused } }

    func pause(_ partitions: [KafkaTopicPartition]) { state.withLock { $0.paused.formUnion(partitions) } }
    func resume(_ partitions: [KafkaTopicPartition]) { state.withLock { $0.paused.subtract(partitions) } }

    func storeOffsets(_ offsets: [KafkaTopicPartition: Int64]) throws(KafkaError) -> [KafkaTopicPartition: KafkaError] {
        state.withLock { state in
            for (partition, offset) in offsets { state.stored[partition, default: []].append(offset) }
        }
        return [:]
    }

    func commit(_ offsets: [KafkaTopicPartition: Int64]?) throws(KafkaError) {
        state.withLock { $0.committed.append(offsets ?? [:]) }
    }
}
