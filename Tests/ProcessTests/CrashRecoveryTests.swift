import CatFeeSimulator
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension ProcessTests {
    /// Workers SIGKILLed at random (seeded) moments and restarted: nothing is charged twice, nothing is lost.
    @Suite struct CrashRecoveryTests {
        /// Issue 3, test 1, with failure cases 3 and 9: 2,000 intents, 20 ms API latency and a few slow keys (an
        /// early offset still running while later ones finish), the worker SIGKILLed three times mid-run.
        @Test func sigkillThreeTimesAndRestart() async throws {
            let slowKeys = ["intent-5", "intent-700", "intent-1400"]
            let harness = try ProcessHarness(partitions: 3) { configuration in
                configuration.faults.latencyMs = 20
                configuration.faults.slowKeys = Dictionary(uniqueKeysWithValues: slowKeys.map { ($0, 1500) })
            }
            defer { harness.killAll() }
            let keys = ProcessHarness.keys(2000)
            try await harness.publish(keys: keys)

            var random = SeededGenerator(seed: 20_240_503)
            // One kill in each third of the run, at a seeded number of charged intents.
            let killAt = (0..<3).map { third in third * 600 + 150 + Int.random(in: 0..<400, using: &random) }
            // A wide in-flight bound: more work is interrupted by each kill, and the run stays short.
            let settings = ["MAX_IN_FLIGHT": "200"]
            var worker = try harness.startWorker(settings)
            for (kill, threshold) in killAt.enumerated() {
                let reached = await harness.waitUntil(timeout: .seconds(60)) { harness.chargedCount >= threshold }
                try #require(reached, "kill \(kill + 1): \(threshold) charges not reached\n\(harness.diagnostics())")
                worker.send(SIGKILL)
                let exit = await worker.waitForExit(timeout: .seconds(10))
                #expect(exit == .signal(SIGKILL))
                worker = try harness.startWorker(settings)
            }
            let done = try await harness.waitUntilAllCommitted(timeout: .seconds(90))
            #expect(done, "the end was not committed in time\n\(harness.diagnostics())")
            worker.send(SIGTERM)
            #expect(await worker.waitForExit(timeout: .seconds(20)) == .status(0), "\(harness.diagnostics())")

            try await harness.checkInvariants(expectedKeys: Set(keys))
            let ledger = harness.simulator.ledger()
            #expect(ledger.chargesByClientOrderID.count == keys.count, "every intent charged once")
            // The kills interrupted work: some intents were processed again and answered as duplicates.
            let duplicates = try await harness.results().filter(\.duplicate).count
            #expect(duplicates > 0, "no intent was redone after the kills; the test did not exercise a crash")
        }
    }
}
