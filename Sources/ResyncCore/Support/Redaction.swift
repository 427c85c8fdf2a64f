/// Masks secrets in text that is about to be shown or logged: job logs, error bodies, config dumps.
public enum Redactor {
    public static let mask = "****"

    /// Key names whose value is secret (`password=…`, `token: …`, `senha=…`).
    static let secretKeyFragments = [
        "password", "passwd", "pwd", "senha", "secret", "token", "apikey", "api_key", "api-key", "access_key",
        "private_key", "authorization", "credential",
    ]

    /// Returns `line` with `key=value` / `key: value` secrets and `Bearer`/`Basic` credentials masked.
    public static func redact(_ line: String) -> String {
        var tokens = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var maskNext = false
        for index in tokens.indices where !tokens[index].isEmpty {
            let token = tokens[index]
            if maskNext {
                tokens[index] = mask
                maskNext = false
                continue
            }
            let lowered = token.lowercased()
            if lowered == "bearer" || lowered == "basic" {
                maskNext = true
            } else if let separator = token.firstIndex(where: { $0 == "=" || $0 == ":" }),
                isSecretKey(String(token[..<separator]))
            {
                let value = token[token.index(after: separator)...]
                if value.isEmpty {
                    maskNext = true  // "password: hunter2" — the value is the next word
                } else {
                    tokens[index] = String(token[...separator]) + mask
                }
            }
        }
        return tokens.joined(separator: " ")
    }

    static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased().filter { $0 != "\"" && $0 != "'" }
        return secretKeyFragments.contains { lowered.hasSuffix($0) }
    }
}
