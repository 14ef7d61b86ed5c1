import Testing
import Worker

@Suite struct PartitionOffsetTrackerTests {
    @Test func commitsOnlyContiguousOffsets() {
        var tracker = PartitionOffsetTracker()
        for offset in Int64(10)...14 { tracker.began(offset) }
        let step1 = tracker.finished(12)
        #expect(step1 == nil)
        let step2 = tracker.finished(11)
        #expect(step2 == nil)
        #expect(tracker.committable == nil)
        let step3 = tracker.finished(10)
        #expect(step3 == 13)
        #expect(tracker.committable == 13)
        #expect(tracker.pendingCount == 2)
        let step4 = tracker.finished(14)
        #expect(step4 == nil)
        let step5 = tracker.finished(13)
        #expect(step5 == 15)
        #expect(tracker.isIdle)
    }

    @Test func slowOffsetHoldsBackFasterLaterOnes() {
        // failure-cases.md 9: N slow, N+1 fast; a crash after N+1 must redo N.
        var tracker = PartitionOffsetTracker()
        tracker.began(100)
        tracker.began(101)
        let step6 = tracker.finished(101)
        #expect(step6 == nil)
        #expect(tracker.committable == nil)
        let step7 = tracker.finished(100)
        #expect(step7 == 102)
    }

    @Test func toleratesGapsInOffsets() {
        var tracker = PartitionOffsetTracker()
        for offset: Int64 in [3, 7, 8, 20] { tracker.began(offset) }
        let step8 = tracker.finished(7)
        #expect(step8 == nil)
        let step9 = tracker.finished(3)
        #expect(step9 == 8)
        let step10 = tracker.finished(20)
        #expect(step10 == nil)
        let step11 = tracker.finished(8)
        #expect(step11 == 21)
    }

    @Test func ignoresDuplicatesAndUnknownOffsets() {
        var tracker = PartitionOffsetTracker()
        let step12 = tracker.began(5)
        #expect(step12)
        let step13 = tracker.began(5)
        #expect(!step13)
        let step14 = tracker.began(4)
        #expect(!step14)
        let step15 = tracker.finished(99)
        #expect(step15 == nil)
        let step16 = tracker.finished(5)
        #expect(step16 == 6)
        let step17 = tracker.finished(5)
        #expect(step17 == nil)
    }

    @Test func outOfOrderCompletionOverManyOffsets() {
        var tracker = PartitionOffsetTracker()
        var generator = SplitMix(seed: 7)
        let offsets = Array(Int64(0)..<5000)
        for offset in offsets { tracker.began(offset) }
        var order = offsets
        order.shuffle(using: &generator)
        var finished = Set<Int64>()
        for offset in order {
            tracker.finished(offset)
            finished.insert(offset)
            var expected: Int64 = 0
            while finished.contains(expected) { expected += 1 }
            #expect(tracker.committable == (expected == 0 ? nil : expected))
        }
        #expect(tracker.committable == 5000)
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
