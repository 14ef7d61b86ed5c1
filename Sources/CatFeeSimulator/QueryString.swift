/// The query parameters of a raw request target, parsed by the simulator itself (libmicrohttpd's own parsing
/// decodes before anyone can check what was signed).
struct QueryString {
    /// Why a raw query could not be parsed.
    struct Malformed: Error, Sendable {
        /// A human reason, for the 400 envelope.
        let reason: String
    }

    /// The parameters in their order on the wire, decoded (`%HH` and `+` as a space).
    let parameters: [(name: String, value: String)]

    /// Parses the query part (after `?`, without the fragment) of a raw target.
    ///
    /// Throws ``Malformed`` for a bad `%` escape, a part that decodes to invalid UTF-8 or an empty name.
    init(raw: Substring) throws(Malformed) {
        var parameters: [(name: String, value: String)] = []
        if !raw.isEmpty {
            for pair in raw.split(separator: "&", omittingEmptySubsequences: false) {
                guard !pair.isEmpty else { throw Malformed(reason: "empty query parameter") }
                let rawName: Substring
                let rawValue: Substring
                if let equals = pair.firstIndex(of: "=") {
                    rawName = pair[..<equals]
                    rawValue = pair[pair.index(after: equals)...]
                } else {
                    rawName = pair
                    rawValue = ""
                }
                let name = try Self.decode(rawName)
                guard !name.isEmpty else { throw Malformed(reason: "query parameter without a name") }
                parameters.append((name, try Self.decode(rawValue)))
            }
        }
        self.parameters = parameters
    }

    /// Percent-decodes one component; `+` stands for a space, as form encoding has it.
    static func decode(_ component: Substring) throws(Malformed) -> String {
        var output: [UInt8] = []
        var bytes = Array(component.utf8)[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "%"):
                guard bytes.count >= 2, let high = hexValue(bytes[bytes.startIndex]),
                    let low = hexValue(bytes[bytes.startIndex + 1])
                else { throw Malformed(reason: "malformed percent-encoding in query") }
                output.append(high << 4 | low)
                bytes = bytes.dropFirst(2)
            case UInt8(ascii: "+"): output.append(UInt8(ascii: " "))
            default: output.append(byte)
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else {
            throw Malformed(reason: "query is not valid UTF-8 after decoding")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
