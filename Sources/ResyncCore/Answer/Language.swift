/// Reply languages. A question's own language wins over the configured default.
public enum Language: String, Hashable, Sendable, Codable, CaseIterable {
    case portuguese = "pt-BR"
    case english = "en"

    /// Accepts `pt-BR`, `pt`, `pt_BR`, `en`, `en-US`… case-insensitively.
    public init?(code: String) {
        let lowered = code.lowercased()
        if lowered.hasPrefix("pt") {
            self = .portuguese
        } else if lowered.hasPrefix("en") {
            self = .english
        } else {
            return nil
        }
    }
}
