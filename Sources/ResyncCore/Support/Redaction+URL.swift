extension Redactor {
    /// A URL as configuration output and logs may show it: the user-info (`user:password@`) replaced by
    /// `****@`, every query value by `****` (parameter names kept), a fragment by `#****`. Scheme, host,
    /// port and path stay, so an operator still sees where the URL points.
    ///
    /// Works on text that is not a valid URL too (a configuration error shows what was refused): everything
    /// before the last `@` ahead of the query counts as user-info, so an `@` in a path over-masks rather than
    /// a password with a `/` in it showing.
    public static func redactURL(_ raw: String) -> String {
        var rest = Substring(raw)
        var shown = ""
        if let schemeEnd = rest.firstRange(of: "://") {
            shown += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
        }
        let queryStart = rest.firstIndex { $0 == "?" || $0 == "#" }
        var location = queryStart.map { rest[..<$0] } ?? rest
        if let at = location.lastIndex(of: "@") {
            shown += mask + "@"
            location = location[location.index(after: at)...]
        }
        shown += location
        guard let queryStart else { return shown }
        let tail = rest[queryStart...]
        let fragmentStart = tail.firstIndex(of: "#")
        let query = tail[..<(fragmentStart ?? tail.endIndex)].dropFirst(tail.first == "?" ? 1 : 0)
        if tail.first == "?" {
            shown +=
                "?"
                + query.split(separator: "&", omittingEmptySubsequences: false).map(maskedQueryItem)
                .joined(separator: "&")
        }
        if let fragmentStart, tail.index(after: fragmentStart) < tail.endIndex { shown += "#" + mask }
        return shown
    }

    /// `name=value` → `name=****`; a bare item (which may be a token itself) → `****`.
    static func maskedQueryItem(_ item: Substring) -> String {
        guard !item.isEmpty else { return "" }
        guard let equals = item.firstIndex(of: "=") else { return mask }
        return String(item[..<equals]) + "=" + mask
    }
}
