public import Foundation

/// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, plus the obsolete RFC 850 and asctime forms when parsing.
///
/// Hand-written: no `DateFormatter`, no locale, allocation-light, safe from any thread.
public enum HTTPDate {
    private static let monthNames = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    private static let dayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]

    /// Parses `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` or `Sun Nov  6 08:49:37 1994`.
    ///
    /// Returns nil when the text is none of these. The weekday name is not checked.
    public static func parse(_ s: String) -> Date? {
        if let date = parseIMFFixdate(s.utf8) { return date }
        let text = s.trimmingSpacesAndTabs
        if let comma = text.firstIndex(of: ",") {
            let rest = text[text.index(after: comma)...].split(separator: " ", omittingEmptySubsequences: true)
            if rest.count == 5, rest[4] == "GMT" {
                // IMF-fixdate: 06 Nov 1994 08:49:37 GMT
                return make(day: rest[0], month: rest[1], year: rest[2], time: rest[3])
            }
            if rest.count == 3, rest[2] == "GMT" {
                // RFC 850: 06-Nov-94 08:49:37 GMT
                let parts = rest[0].split(separator: "-")
                guard parts.count == 3, var year = Int(parts[2]) else { return nil }
                if parts[2].count == 2 { year += year < 70 ? 2000 : 1900 }
                return make(day: parts[0], month: parts[1], year: Substring(String(year)), time: rest[1])
            }
            return nil
        }
        // asctime: Sun Nov  6 08:49:37 1994
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5 else { return nil }
        return make(day: parts[2], month: parts[1], year: parts[4], time: parts[3])
    }

    /// Formats `date` as IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT` (sub-seconds truncated).
    public static func string(from date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = CivilDate.floorDivide(seconds, 86_400)
        let (year, month, day) = CivilDate.civil(days: days)
        var out = [UInt8]()
        out.reserveCapacity(29)
        out.append(contentsOf: dayNames[CivilDate.floorDivide(days, 7).remainder].utf8)
        out.append(contentsOf: ", ".utf8)
        CatFeeTimestamp.append(day, width: 2, to: &out)
        out.append(UInt8(ascii: " "))
        let name = monthNames[month - 1]
        out.append(contentsOf: (name.prefix(1).uppercased() + name.dropFirst()).utf8)
        out.append(UInt8(ascii: " "))
        CatFeeTimestamp.append(year, width: 4, to: &out)
        out.append(UInt8(ascii: " "))
        CatFeeTimestamp.append(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        CatFeeTimestamp.append(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        CatFeeTimestamp.append(secondOfDay % 60, width: 2, to: &out)
        out.append(contentsOf: " GMT".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// The fast path for the form every current server sends, `Sun, 06 Nov 1994 08:49:37 GMT` (29 bytes at fixed
    /// positions), read byte by byte: it runs on every CatFee response. Nil for anything else (the general parser
    /// then decides).
    private static func parseIMFFixdate(_ text: String.UTF8View) -> Date? {
        guard text.count == 29 else { return nil }
        let bytes = Array(text)
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<(start + count) {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes[3] == UInt8(ascii: ","), bytes[4] == 0x20, bytes[7] == 0x20, bytes[11] == 0x20, bytes[16] == 0x20,
            bytes[19] == UInt8(ascii: ":"), bytes[22] == UInt8(ascii: ":"), bytes[25...] == [0x20, 0x47, 0x4D, 0x54],
            let day = number(5, 2), (1...31).contains(day), let year = number(12, 4), year >= 1,
            let hour = number(17, 2), hour <= 23, let minute = number(20, 2), minute <= 59,
            let second = number(23, 2), second <= 60
        else { return nil }
        let monthName = String(decoding: bytes[8..<11], as: UTF8.self).lowercased()
        guard let month = monthNames.firstIndex(of: monthName).map({ $0 + 1 }) else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    private static func make(day: Substring, month: Substring, year: Substring, time: Substring) -> Date? {
        guard let day = Int(day), (1...31).contains(day), let year = Int(year), year >= 1, year <= 9999,
            let month = monthNames.firstIndex(of: month.lowercased()).map({ $0 + 1 })
        else { return nil }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let hour = Int(clock[0]),
            let minute = Int(clock[1]),
            let second = Int(clock[2]), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let total = days * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(total))
    }
}
