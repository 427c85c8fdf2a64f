extension StringProtocol {
    /// Without leading and trailing whitespace (newlines included), as `trimmingCharacters(in:
    /// .whitespacesAndNewlines)` but without Foundation's bridging; the string itself, sharing its storage,
    /// when there is nothing to trim. Imports trim every cell and webhooks every field, and nearly none need it.
    public var trimmedWhitespace: String {
        // Printable ASCII at both ends (nearly every text): nothing to trim, and no grapheme breaking to find out.
        if let head = unicodeScalars.first, let tail = unicodeScalars.last, (0x21...0x7E).contains(head.value),
            (0x21...0x7E).contains(tail.value)
        {
            return String(self)
        }
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        if first == startIndex && index(after: last) == endIndex { return String(self) }
        return String(self[first...last])
    }

    /// Whether the string is empty or only whitespace.
    public var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
