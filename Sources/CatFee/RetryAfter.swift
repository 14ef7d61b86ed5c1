public import Foundation

/// Parses the `Retry-After` header of a 429 or 503.
public enum RetryAfter {
    /// `"120"` (delta seconds) or an HTTP-date (IMF-fixdate, RFC 850, asctime) relative to `now`.
    ///
    /// Returns nil when unparsable; a date in the past (or a negative delta) gives zero.
    public static func parse(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingSpacesAndTabs
        if let seconds = Int64(text) {
            return .seconds(max(0, seconds))
        }
        if let seconds = Double(text), seconds.isFinite, text.first?.isNumber == true || text.first == "-" {
            return .milliseconds(Int64(max(0, min(seconds, 1e9)) * 1000))
        }
        guard let date = HTTPDate.parse(String(text)) else { return nil }
        let delta = date.timeIntervalSince(now)
        return delta <= 0 ? .zero : .milliseconds(Int64((delta * 1000).rounded(.up)))
    }
}
