import JSON

/// Typed access to the members of a ledger JSON object, with errors that name the field.
struct LedgerFields {
    private let object: JSONValue
    private let context: String

    /// Fields of `object`, described as `context` in errors.
    init(_ object: JSONValue, _ context: String) {
        self.object = object
        self.context = context
    }

    /// The member `key`, which must be present.
    func value(_ key: String) throws -> JSONValue {
        guard let value = object[key] else { throw SimulatorError("\(context): missing \(key)") }
        return value
    }

    /// The string member `key`.
    func string(_ key: String) throws -> String {
        guard let text = try value(key).stringValue else { throw SimulatorError("\(context): \(key) not a string") }
        return text
    }

    /// The string member `key`, or nil when absent or null.
    func optionalString(_ key: String) throws -> String? {
        guard let member = object[key], member != .null else { return nil }
        guard let text = member.stringValue else { throw SimulatorError("\(context): \(key) not a string") }
        return text
    }

    /// The integer member `key`.
    func integer(_ key: String) throws -> Int64 {
        guard let number = try value(key).integerValue else {
            throw SimulatorError("\(context): \(key) not an integer")
        }
        return number
    }

    /// The boolean member `key`.
    func bool(_ key: String) throws -> Bool {
        guard let flag = try value(key).boolValue else { throw SimulatorError("\(context): \(key) not a boolean") }
        return flag
    }
}
