import Testing
import Worker

@Suite struct PartitionOffsetTrackerTests {
    @Test func commitsOnlyContiguousOffsets() {
        var tracker = PartitionOffsetTracker()
        for offset in Int64(10)...14 { tracker.began(offset) }
        #expect(tracker.finished(12) == nil)
        #expect(tracker.finished(11) == nil)
        #expect(tracker.committable == nil)
        #expect(tracker.finished(10) == 13)
        #expect(tracker.committable == 13)
        #expect(tracker.pendingCount == 2)
        #expect(tracker.finished(14) == nil)
        #expect(tracker.finished(13) == 15)
        #expect(tracker.isIdle)
    }

    @Test func slowOffsetHoldsBackFasterLaterOnes() {
        // failure-cases.md 9: N slow, N+1 fast; a crash after N+1 must redo N.
        var tracker = PartitionOffsetTracker()
        tracker.began(100)
        tracker.began(101)
        #expect(tracker.finished(101) == nil)
        #expect(tracker.committable == nil)
        #expect(tracker.finished(100) == 102)
    }

    @Test func toleratesGapsInOffsets() {
        var tracker = PartitionOffsetTracker()
        for offset: Int64 in [3, 7, 8, 20] { tracker.began(offset) }
        #expect(tracker.finished(7) == nil)
        #expect(tracker.finished(3) == 8)
        #expect(tracker.finished(20) == nil)
        #expect(tracker.finished(8) == 21)
    }

    @Test func ignoresDuplicatesAndUnknownOffsets() {
        var tracker = PartitionOffsetTracker()
        #expect(tracker.began(5))
        #expect(!tracker.began(5))
        #expect(!tracker.began(4))
        #expect(tracker.finished(99) == nil)
        #expect(tracker.finished(5) == 6)
        #expect(tracker.finished(5) == nil)
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
