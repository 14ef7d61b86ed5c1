import Dispatch
import Kafka
import Synchronization
import Testing

struct AwayFromCooperativePoolTests {
    struct Refused: Error, Equatable { var code: Int }

    /// The calls' meeting point: each call counts itself in, and the last to arrive lets them all go.
    final class Barrier: Sendable {
        let parties: Int
        let arrived = Atomic<Int>(0)
        let open = DispatchSemaphore(value: 0)

        init(parties: Int) { self.parties = parties }

        /// Whether every party arrived within `timeout`.
        func arriveAndWait(timeout: DispatchTimeInterval) -> Bool {
            if arrived.add(1, ordering: .acquiringAndReleasing).newValue == parties {
                for _ in 0..<parties { open.signal() }
            }
            return open.wait(timeout: .now() + timeout) == .success
        }
    }

    /// Eight blocking calls that can each finish only once all eight have started, within 3 s: on threads of their
    /// own they meet at once. (On the global Dispatch queue, which starts about as many blocks as there are cores
    /// and adds threads for blocked ones only slowly, the eight met after about 6 s here.)
    @Test func blockingCallsRunSideBySide() async throws {
        let callers = 8
        let barrier = Barrier(parties: callers)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    try await awayFromCooperativePool { () throws(KafkaError) -> Bool in
                        barrier.arriveAndWait(timeout: .seconds(3))
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: callers), "some calls never ran beside the others")
    }

    @Test func returnsTheValueAndRethrowsTheTypedError() async {
        let value = await awayFromCooperativePool { () -> Int in 42 }
        #expect(value == 42)
        await #expect(throws: Refused(code: 7)) {
            try await awayFromCooperativePool { () throws(Refused) -> Int in throw Refused(code: 7) }
        }
    }
}
