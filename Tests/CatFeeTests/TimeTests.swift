import CatFee
import Foundation
import Testing

@Suite struct CatFeeTimestampTests {
    @Test(arguments: [
        (1_693_053_296.789, "2023-08-26T12:34:56.789Z"),
        (1_693_053_296.7899, "2023-08-26T12:34:56.789Z"),  // truncated, not rounded
        (1_693_053_296.0, "2023-08-26T12:34:56.000Z"),
        (951_868_799.999, "2000-02-29T23:59:59.999Z"),
        (0.0, "1970-01-01T00:00:00.000Z"),
        (-1.0, "1969-12-31T23:59:59.000Z"),
    ])
    func formats(seconds: Double, expected: String) {
        #expect(CatFeeTimestamp.string(from: Date(timeIntervalSince1970: seconds)) == expected)
    }
}

@Suite struct HTTPDateTests {
    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
    ])
    func parsesAllThreeForms(text: String) {
        #expect(HTTPDate.parse(text) == Date(timeIntervalSince1970: 784_111_777))
    }

    @Test(arguments: [
        "", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:60:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 0x Nov 1994 08:49:37 GMT", "Sun; 06 Nov 1994 08:49:37 GMT",
    ])
    func rejectsGarbage(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test func fixdateFastPathAgreesWithTheGeneralParser() {
        // Surrounding white space takes the general path; the bare form takes the fast path: same instant.
        #expect(HTTPDate.parse("Sat, 26 Aug 2023 12:34:56 GMT") == HTTPDate.parse(" Sat, 26 Aug 2023 12:34:56 GMT "))
        #expect(HTTPDate.parse("Sat, 26 aug 2023 12:34:56 GMT") == Date(timeIntervalSince1970: 1_693_053_296))
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 23:59:60 GMT") == Date(timeIntervalSince1970: 1_709_251_200))
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.string(from: Date(timeIntervalSince1970: 784_111_777.5)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.string(from: Date(timeIntervalSince1970: 1_693_053_296)) == "Sat, 26 Aug 2023 12:34:56 GMT")
    }
}

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777)

    @Test func parsesDeltaSeconds() {
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 1 ", now: now) == .seconds(1))
        #expect(RetryAfter.parse("-5", now: now) == .zero)
    }

    @Test func parsesHTTPDate() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
    }

    @Test func pastDateIsZero() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .zero)
    }

    @Test(arguments: ["", "soon", "12abc"])
    func garbageIsNil(text: String) {
        #expect(RetryAfter.parse(text, now: now) == nil)
    }
}

@Suite struct ServerClockTests {
    @Test func estimatesOffsetFromMidpoint() {
        let clock = ServerClock()
        let start = Date(timeIntervalSince1970: 1_000_000)
        let end = start.addingTimeInterval(2)
        clock.observe(serverDate: start.addingTimeInterval(11), requestStart: start, responseEnd: end)
        #expect(clock.offset == .seconds(10))
        let skew = clock.now().timeIntervalSince(Date())
        #expect(abs(skew - 10) < 0.5)
    }

    @Test func keepsLatestAndResets() {
        let clock = ServerClock()
        let start = Date(timeIntervalSince1970: 1_000_000)
        clock.observe(serverDate: start.addingTimeInterval(10), requestStart: start, responseEnd: start)
        clock.observe(serverDate: start.addingTimeInterval(-3), requestStart: start, responseEnd: start)
        #expect(clock.offset == .seconds(-3))
        clock.reset()
        #expect(clock.offset == .zero)
    }
}
