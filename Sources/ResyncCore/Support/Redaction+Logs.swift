import Foundation

extension Redactor {
    /// Token shapes that are credentials whatever key they follow: OpenAI/OpenRouter keys, GitHub and Slack
    /// tokens, AWS access key ids, JWTs.
    static let credentialPrefixes = ["sk-", "ghp_", "gho_", "ghs_", "xoxb-", "xoxp-", "xapp-", "akia", "eyj"]

    /// Flags whose next word is a secret (`--password hunter2`).
    static let secretFlags: Set<String> = [
        "--password", "-password", "--passwd", "--pwd", "--token", "--secret", "--api-key", "--apikey", "-pw",
    ]

    /// `redact(_:)` plus what job logs add: credentials inside URLs (`https://user:pass@host`), secret
    /// command-line flags, and tokens recognisable by their shape. Use it on any text read from a job log.
    public static func redactLogLine(_ line: String) -> String {
        var tokens = redact(maskingBearerValues(line)).split(separator: " ", omittingEmptySubsequences: false)
            .map(String.init)
        var maskNext = false
        for index in tokens.indices where !tokens[index].isEmpty {
            if maskNext {
                tokens[index] = mask
                maskNext = false
                continue
            }
            let lowered = tokens[index].lowercased()
            if secretFlags.contains(lowered) {
                maskNext = true
            } else if looksLikeCredential(lowered) {
                tokens[index] = mask
            } else {
                tokens[index] = maskingURLCredentials(tokens[index])
            }
        }
        return tokens.joined(separator: " ")
    }

    /// The word after `Bearer`/`Basic`, even when a header name before it makes `redact` mask `Bearer` itself.
    static func maskingBearerValues(_ line: String) -> String {
        var tokens = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for index in tokens.indices.dropLast() where ["bearer", "basic"].contains(tokens[index].lowercased()) {
            if !tokens[index + 1].isEmpty { tokens[index + 1] = mask }
        }
        return tokens.joined(separator: " ")
    }

    static func looksLikeCredential(_ lowered: String) -> Bool {
        // `NAME=sk-…` hides the token behind a key name that says nothing.
        if let separator = lowered.lastIndex(where: { $0 == "=" || $0 == ":" }),
            separator != lowered.index(before: lowered.endIndex),
            looksLikeCredential(String(lowered[lowered.index(after: separator)...]))
        {
            return true
        }
        let bare = lowered.trimmingEdges("\"'(),;")
        guard bare.count >= 16 else { return false }
        if bare.hasPrefix("eyj") { return bare.filter { $0 == "." }.count == 2 }
        return credentialPrefixes.contains { bare.hasPrefix($0) }
    }

    /// `scheme://user:secret@host` → `scheme://user:****@host`.
    static func maskingURLCredentials(_ token: String) -> String {
        guard let scheme = token.range(of: "://"), let at = token[scheme.upperBound...].firstIndex(of: "@") else {
            return token
        }
        let userInfo = token[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return token }
        return String(token[..<token.index(after: colon)]) + mask + String(token[at...])
    }
}

extension String {
    fileprivate func trimmingEdges(_ set: String) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
