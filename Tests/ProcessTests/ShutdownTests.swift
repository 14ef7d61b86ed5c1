import CatFeeSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ProcessTests {
    /// SIGTERM shuts the worker down gracefully, within its bound, losing nothing.
    @Suite struct ShutdownTests {
        /// SIGTERM while the worker is still joining its group (before, during and around the first rebalance)
        /// exits 0 at once. librdkafka 2.0.2 aborts when a sticky-assignor consumer is destroyed between joining and
        /// its first assignment (librdkafka issue 4312); the consumer wrapper leaves such a handle to the process exit.
        @Test(arguments: [300, 1_500, 2_800])
        func sigtermWhileJoiningExitsZero(afterMilliseconds delay: Int) async throws {
            let harness = try ProcessHarness(partitions: 3)
            defer { harness.killAll() }
            try await harness.publish(keys: ProcessHarness.keys(20))
            let worker = try harness.startWorker()
            try await Task.sleep(for: .milliseconds(delay))
            worker.send(SIGTERM)
            let exit = await worker.waitForExit(timeout: .seconds(15))
            #expect(exit == .status(0), "exit: \(exit.map(\.description) ?? "still running")\n\(harness.diagnostics())")
        }

        /// Issue 3, test 5, failure case 5: SIGTERM mid-run with a 2 s `linger.ms`. The worker exits 0 within
        /// SHUTDOWN_TIMEOUT_MS; every intent charged before the exit has its result (flushed, not lost); the committed
        /// offsets cover exactly the intents with results; a restart finishes the rest.
        @Test func sigtermWithLongLingerFlushesCommitsAndExitsZero() async throws {
            let harness = try ProcessHarness(partitions: 3) { $0.faults.latencyMs = 20 }
            defer { harness.killAll() }
            let keys = ProcessHarness.keys(400)
            try await harness.publish(keys: keys)
            // Four API calls at a time at 20 ms each: about 2 s of charging, so SIGTERM after 100 lands mid-run
            // (publishing holds no slot, so with more slots every intent would be charged within the 2 s linger).
            let settings = ["SHUTDOWN_TIMEOUT_MS": "10000", "MAX_IN_FLIGHT": "4"]
            let properties = ["linger.ms": "2000"]

            let worker = try harness.startWorker(settings, properties: properties)
            let midway = await harness.waitUntil(timeout: .seconds(60)) { harness.chargedCount >= 100 }
            try #require(midway, "100 charges not reached\n\(harness.diagnostics())")
            let signalled = ContinuousClock.now
            worker.send(SIGTERM)
            let exit = await worker.waitForExit(timeout: .seconds(14))
            let shutdown = ContinuousClock.now - signalled
            #expect(exit == .status(0), "exit: \(exit.map(\.description) ?? "still running")\n\(harness.diagnostics())")
            #expect(shutdown < .seconds(12), "shutdown took \(shutdown)")

            let charged = Set(harness.simulator.ledger().chargesByClientOrderID.keys)
            let results = try await harness.results()
            let unpublished = charged.subtracting(results.map(\.key))
            #expect(unpublished.isEmpty, "charged but no result after shutdown: \(unpublished.sorted().prefix(10))")
            let committed = try await harness.committedOffsets()
            for partition in committed.keys.sorted() {
                let offsets = Set(results.filter { $0.sourcePartition == Int64(partition) }.map(\.sourceOffset))
                let end = max(0, committed[partition] ?? 0)
                #expect(
                    offsets == Set(0..<end),
                    "partition \(partition): committed \(end) but results for \(offsets.count) offsets")
            }
            #expect(committed.values.contains { $0 > 0 }, "nothing committed at shutdown: \(committed)")
            #expect(committed != (try await harness.highWatermarks()), "the run finished before SIGTERM")

            let restarted = try harness.startWorker(settings, properties: properties)
            let done = try await harness.waitUntilAllCommitted(timeout: .seconds(90))
            #expect(done, "the restart did not finish\n\(harness.diagnostics())")
            restarted.send(SIGTERM)
            #expect(await restarted.waitForExit(timeout: .seconds(14)) == .status(0), "\(harness.diagnostics())")
            try await harness.checkInvariants(expectedKeys: Set(keys))
        }
    }
}
