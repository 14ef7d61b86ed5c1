public import Foundation

/// Formats `CF-ACCESS-TIMESTAMP`: UTC ISO-8601 with milliseconds and `Z`, e.g. `2023-08-26T12:34:56.789Z`.
public enum CatFeeTimestamp {
    /// The timestamp of `date`, milliseconds truncated (not rounded). Hand-formatted: no `DateFormatter`, no locale.
    public static func string(from date: Date) -> String {
        // One microsecond of slack so that x.789 stored as x.78899999… still prints .789.
        let milliseconds = Int((date.timeIntervalSince1970 * 1000 + 1e-3).rounded(.down))
        let (seconds, millis) = CivilDate.floorDivide(milliseconds, 1000)
        let (days, secondOfDay) = CivilDate.floorDivide(seconds, 86_400)
        let (year, month, day) = CivilDate.civil(days: days)
        var out = [UInt8]()
        out.reserveCapacity(24)
        append(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        append(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        append(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        append(millis, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `value` in decimal, zero-padded to `width` digits.
    static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = abs(value)
        var index = width - 1
        while index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if rest > 0 { out.append(contentsOf: String(rest).utf8) }
        out.append(contentsOf: digits)
    }
}
