/// A setting that makes a ``CatFeeClient`` impossible to build; names the setting, never shows a secret.
public struct CatFeeConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The setting at fault, e.g. `CATFEE_BASE_URL`.
    public var setting: String
    /// What is wrong with it.
    public var reason: String

    /// An error for `setting`.
    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    /// `<setting>: <reason>`.
    public var description: String { "\(setting): \(reason)" }
}
