import Foundation

/// A job name or a glob pattern over job names, as teams write them in their knowledge base:
/// `PAYROLL_FINAL`, `PAYROLL_*`, `BILL@`, `JOB_?`, `/FINANCE/PAYROLL_*`. Matching ignores case.
/// A pattern with a folder (`/FINANCE/…`) matches the folder-qualified name; one without a folder
/// matches the job's own name in any folder.
public struct JobNamePattern: Hashable, Sendable {
    public let text: String
    let bytes: [UInt8]
    let qualified: Bool

    public init(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        self.text = trimmed
        self.qualified = trimmed.contains("/")
        self.bytes = Array(trimmed.utf8)
    }

    /// True when the pattern has a wildcard (`*`, `@`, `?`).
    public var isWildcard: Bool { Self.isWildcard(text) }

    public static func isWildcard(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "@" || $0 == "?" }
    }

    /// Literal characters in the pattern: more of them means a more specific pattern.
    public var specificity: Int { bytes.filter { !Self.wildcards.contains($0) }.count }

    /// Whether `jobName` (plain, folder-qualified, or `WS#STREAM.JOB`) matches this pattern.
    public func matches(_ jobName: String) -> Bool {
        let name = jobName.trimmingCharacters(in: .whitespaces).uppercased()
        let subject = qualified ? Self.qualifiedName(name) : Self.baseName(name)
        return Self.glob(bytes[...], Array(subject.utf8)[...])
    }

    /// The job's own name: without folder path or `WORKSTATION#STREAM.` prefix, upper-cased.
    public static func baseName(_ jobName: String) -> String {
        var name = jobName.trimmingCharacters(in: .whitespaces).uppercased()
        // `WS#/FOLDER/STREAM.JOB`: the job is after the stream's dot, whatever folder the stream is in.
        if let id = QualifiedJobName(name) { return id.job }
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        return name
    }

    /// The folder-qualified name with a leading slash, upper-cased; `WS#/FOLDER/STREAM.JOB` is `/FOLDER/JOB`.
    public static func qualifiedName(_ jobName: String) -> String {
        let name = jobName.trimmingCharacters(in: .whitespaces).uppercased()
        if let id = QualifiedJobName(name) {
            let folder = id.folder ?? "/"
            return folder.hasSuffix("/") ? folder + id.job : folder + "/" + id.job
        }
        return name.hasPrefix("/") ? name : "/" + name
    }

    static let wildcards: Set<UInt8> = [UInt8(ascii: "*"), UInt8(ascii: "@"), UInt8(ascii: "?")]

    // Iterative glob with single-star backtracking: linear enough for job names.
    static func glob(_ pattern: ArraySlice<UInt8>, _ subject: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var s = subject.startIndex
        var starP: Int?
        var starS = subject.startIndex
        while s < subject.endIndex {
            if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") || pattern[p] == UInt8(ascii: "@") {
                starP = p
                starS = s
                p += 1
            } else if p < pattern.endIndex, pattern[p] == UInt8(ascii: "?") || pattern[p] == subject[s] {
                p += 1
                s += 1
            } else if let star = starP {
                p = star + 1
                starS += 1
                s = starS
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") || pattern[p] == UInt8(ascii: "@") { p += 1 }
        return p == pattern.endIndex
    }
}
