public import Foundation
import Locking

/// An estimate of CatFee's clock from response `Date` headers, so `CF-ACCESS-TIMESTAMP` stays inside the 5 s window.
///
/// offset = serverDate − midpoint(requestStart, responseEnd); the latest observation wins. `Date` has one-second
/// resolution (truncated), so the estimate is biased by up to −1 s, well inside the window. Thread-safe (a lock).
public final class ServerClock: Sendable {
    private let offsetSeconds = Locked<TimeInterval>(0)

    /// A clock with no observation yet (offset zero).
    public init() {}

    /// The current server time estimate: `Date()` plus ``offset``.
    public func now() -> Date {
        Date().addingTimeInterval(offsetSeconds.withLock { $0 })
    }

    /// The current estimate of server time minus local time.
    public var offset: Duration {
        .milliseconds(Int64((offsetSeconds.withLock { $0 } * 1000).rounded()))
    }

    /// Records one response: the server said `serverDate` while the exchange ran from `requestStart` to `responseEnd`.
    public func observe(serverDate: Date, requestStart: Date, responseEnd: Date) {
        let midpoint = requestStart.timeIntervalSince1970 / 2 + responseEnd.timeIntervalSince1970 / 2
        let estimate = serverDate.timeIntervalSince1970 - midpoint
        offsetSeconds.withLock { $0 = estimate }
    }

    /// Forgets every observation (offset zero).
    public func reset() {
        offsetSeconds.withLock { $0 = 0 }
    }
}
