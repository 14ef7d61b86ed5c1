/// A line of a `.properties` file that cannot be read.
public struct JavaPropertiesError: Error, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// What is wrong.
    public var reason: String

    public var description: String { "line \(line): \(reason)" }
}

/// Reads Java-style `.properties` text: `key=value`, `key: value` or `key value`; `#` and `!` comments; a
/// trailing backslash continues a line; `\t`, `\n`, `\\`, `\=`, `\:` and `\uXXXX` escapes.
public enum JavaProperties {
    /// Parses `text` into a dictionary (a later key wins).
    public static func parse(_ text: String) throws(JavaPropertiesError) -> [String: String] {
        var result: [String: String] = [:]
        var logical = ""
        var startLine = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        for (number, rawLine) in lines.enumerated() {
            var line = rawLine
            if logical.isEmpty {
                line = String(line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" }))
                if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
                startLine = number + 1
            } else {
                line = String(line.drop(while: { $0 == " " || $0 == "\t" }))
            }
            let trailingBackslashes = line.reversed().prefix(while: { $0 == "\\" }).count
            if trailingBackslashes % 2 == 1 {
                logical += line.dropLast()
                continue
            }
            logical += line
            let (key, value) = try split(logical, line: startLine)
            result[key] = value
            logical = ""
        }
        if !logical.isEmpty {
            let (key, value) = try split(logical, line: startLine)
            result[key] = value
        }
        return result
    }

    private static func split(_ line: String, line number: Int) throws(JavaPropertiesError) -> (String, String) {
        var key = ""
        var index = line.startIndex
        var escaped = false
        while index < line.endIndex {
            let character = line[index]
            if escaped {
                key.append("\\")
                key.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "=" || character == ":" || character == " " || character == "\t" {
                break
            } else {
                key.append(character)
            }
            index = line.index(after: index)
        }
        var rest = line[index...].drop(while: { $0 == " " || $0 == "\t" })
        if let first = rest.first, first == "=" || first == ":" {
            rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        }
        let unescapedKey = try unescape(key, line: number)
        guard !unescapedKey.isEmpty else { throw JavaPropertiesError(line: number, reason: "empty key") }
        return (unescapedKey, try unescape(String(rest), line: number))
    }

    private static func unescape(_ text: String, line: Int) throws(JavaPropertiesError) -> String {
        var output = ""
        var iterator = Array(text).makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                output.append(character)
                continue
            }
            guard let escape = iterator.next() else { break }
            switch escape {
            case "t": output.append("\t")
            case "n": output.append("\n")
            case "r": output.append("\r")
            case "f": output.append("\u{0C}")
            case "u":
                var hex = ""
                for _ in 0..<4 {
                    guard let digit = iterator.next() else { break }
                    hex.append(digit)
                }
                guard hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw JavaPropertiesError(line: line, reason: "invalid \\u escape")
                }
                output.unicodeScalars.append(scalar)
            default: output.append(escape)
            }
        }
        return output
    }
}
