extension String {
    /// Without leading and trailing whitespace (newlines included). The string itself, sharing its storage,
    /// when there is nothing to trim: imports trim every cell, and nearly none need it.
    var trimmedWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        if first == startIndex && index(after: last) == endIndex { return self }
        return String(self[first...last])
    }

    /// Whether the string is empty or only whitespace.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
