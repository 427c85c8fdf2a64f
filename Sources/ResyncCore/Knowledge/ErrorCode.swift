import Foundation

/// Canonical spellings of the error signatures operators type and HWA reports, so `RC 12`, `rc=12`
/// and `RC=0012` all find the entry written as `RC=12`, and `ABEND S0C4` finds `S0C4`.
public enum ErrorCode {
    /// The canonical form of one error signature, or nil when `raw` is blank.
    public static func normalize(_ raw: String) -> String? {
        let collapsed = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ").uppercased()
        guard !collapsed.isEmpty else { return nil }
        if let match = collapsed.wholeMatch(of: Patterns.returnCode) {
            return "RC=" + String(Int(match.1.prefix(9)) ?? 0)
        }
        if let match = collapsed.wholeMatch(of: Patterns.abendCode) {
            return abendCode(system: match.1 == "S", code: String(match.2))
        }
        if collapsed.allSatisfy(\.isNumber) {
            return "RC=" + String(Int(collapsed.prefix(9)) ?? 0)
        }
        return collapsed
    }

    /// Error signatures mentioned in free text: return codes, ABEND codes and the word ABEND.
    public static func extract(from text: String) -> [String] {
        let upper = text.uppercased()
        var found: [String] = []
        for match in upper.matches(of: Patterns.returnCodeInText) {
            found.append("RC=" + String(Int(match.1) ?? 0))
        }
        for match in upper.matches(of: Patterns.abendCodeInText) {
            let code = String(match.2)
            // A user abend is decimal; a system abend has a hex digit, which rules out words like "S100".
            let isSystem = match.1 == "S"
            if isSystem && code.allSatisfy(\.isNumber) && code.count == 4 { continue }
            if !isSystem && !code.allSatisfy(\.isNumber) { continue }
            // Real abend codes (S0C4, S806, SB37, U4038) have a digit; words like "SAFE" or "SEED" do not.
            if !code.contains(where: \.isNumber) { continue }
            found.append(abendCode(system: isSystem, code: code))
        }
        if upper.contains(Patterns.abendWord) && found.isEmpty {
            found.append("ABEND")
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    /// A regex literal is parsed and compiled again every time it is evaluated (about 0.2 ms, which made
    /// these the largest cost of importing and searching 100,000 entries), so each is built once.
    /// `Regex` is not declared `Sendable`, but a built one is immutable and compiles its matching program
    /// once behind an atomic lazy reference, so sharing it between threads is safe.
    enum Patterns {
        nonisolated(unsafe) static let returnCode =
            #/(?:RC|RETURN CODE|RETURN-CODE|RETCODE|CC|COND CODE|EXIT CODE)\s*[=:]?\s*(\d+)/#
        nonisolated(unsafe) static let abendCode = #/(?:ABEND\s*[=:]?\s*)?([SU])([0-9A-F]{3,4})/#
        nonisolated(unsafe) static let returnCodeInText = #/\b(?:RC|RETURN CODE|EXIT CODE)\s*[=:]?\s*(\d{1,9})\b/#
        nonisolated(unsafe) static let abendCodeInText = #/\b([SU])([0-9A-F]{3,4})\b/#
        nonisolated(unsafe) static let abendWord = #/\bABEND\b/#
    }

    static func abendCode(system: Bool, code: String) -> String {
        if system { return "S" + code.suffix(3) }
        let number = Int(code) ?? 0
        let digits = String(number)
        return "U" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
