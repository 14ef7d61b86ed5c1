import CatFee
import Testing

@Suite struct RequestScheduleTests {
    @Test func unlimitedAlwaysProceeds() {
        var schedule = RequestSchedule(maxRequestsPerSecond: nil)
        for _ in 0..<100 { #expect(schedule.reserve(now: .seconds(1)) == .proceed) }
    }

    @Test func spacesSlotsWithoutBurst() {
        var schedule = RequestSchedule(maxRequestsPerSecond: 10)
        #expect(schedule.reserve(now: .seconds(5)) == .proceed)
        #expect(schedule.reserve(now: .seconds(5)) == .waitForSlot(after: .milliseconds(100)))
        #expect(schedule.reserve(now: .seconds(5)) == .waitForSlot(after: .milliseconds(200)))
        // After a long idle period only one request goes at once.
        #expect(schedule.reserve(now: .seconds(100)) == .proceed)
        #expect(schedule.reserve(now: .seconds(100)) == .waitForSlot(after: .milliseconds(100)))
    }

    @Test func holdOffBlocksEverySlot() {
        var schedule = RequestSchedule(maxRequestsPerSecond: nil)
        schedule.holdOff(until: .seconds(11))
        #expect(schedule.reserve(now: .seconds(10)) == .heldOff(remaining: .seconds(1)))
        #expect(schedule.checkHoldOff(now: .milliseconds(10_500)) == .milliseconds(500))
        schedule.holdOff(until: .seconds(10))  // never shortens
        #expect(schedule.reserve(now: .seconds(11)) == .proceed)
        #expect(schedule.checkHoldOff(now: .seconds(11)) == nil)
    }
}

@Suite struct RequestGateTests {
    @Test func limitsConcurrency() async {
        let gate = RequestGate(maxConcurrentRequests: 1, maxRequestsPerSecond: nil)
        #expect(await gate.acquire())
        let second = Task { await gate.acquire() }
        try? await Task.sleep(for: .milliseconds(100))
        gate.release()
        #expect(await second.value)
        gate.release()
    }

    @Test func holdOffDelaysNextAcquire() async {
        let gate = RequestGate(maxConcurrentRequests: 4, maxRequestsPerSecond: nil)
        gate.holdOff(for: .milliseconds(300))
        let start = ContinuousClock.now
        #expect(await gate.acquire())
        #expect(ContinuousClock.now - start >= .milliseconds(290))
        gate.release()
    }
}
