import Foundation

/// `application/x-www-form-urlencoded` decoding (`+` is a space, `%XX` a byte).
enum MattermostForm {
    static func decode(_ body: [UInt8]) throws(MattermostRequestError) -> [String: String] {
        guard let text = String(validating: body, as: UTF8.self) else { throw .malformedBody("form body is not UTF-8") }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = unescape(parts[0]) else { throw .malformedBody("bad percent-encoding in a field name") }
            guard let value = parts.count == 2 ? unescape(parts[1]) : "" else {
                throw .malformedBody("bad percent-encoding in field \(name)")
            }
            // The first occurrence wins, so an appended duplicate cannot override a signed-in value.
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func unescape(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// Constant-time comparison of integration tokens, so response timing does not reveal a prefix.
enum MattermostToken {
    static func matches(_ provided: String, _ expected: String) -> Bool {
        let provided = Array(provided.utf8)
        let expected = Array(expected.utf8)
        guard !expected.isEmpty else { return false }
        var difference: UInt8 = provided.count == expected.count ? 0 : 1
        for index in expected.indices {
            let byte = index < provided.count ? provided[index] : 0
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}
