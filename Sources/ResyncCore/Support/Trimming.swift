extension StringProtocol {
    /// Without leading and trailing whitespace (newlines included), as `trimmingCharacters(in:
    /// .whitespacesAndNewlines)` but without Foundation's bridging; the string itself, sharing its storage,
    /// when there is nothing to trim. Imports trim every cell and webhooks every field, and nearly none need it.
    public var trimmedWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        if first == startIndex && index(after: last) == endIndex { return String(self) }
        return String(self[first...last])
    }

    /// Whether the string is empty or only whitespace.
    public var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
