import ResyncCore

/// Builds a knowledge query from free text, as typed in `resync kb search`: error signatures are pulled
/// out (`rc 12` → `RC=12`), and a word that looks like a job name (`PAYROLL_FINAL`, `/FIN/JOB_B`) is
/// taken as the job.
public enum KnowledgeQueryParser {
    public static func query(from text: String, limit: Int = 5) -> KnowledgeQuery {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == "?" }).map(String.init)
        let job = words.first(where: looksLikeJobName)
        return KnowledgeQuery(jobName: job, errorCodes: ErrorCode.extract(from: text), text: text, limit: limit)
    }

    /// Upper-case with a digit, `_`, `/` or `#`: how HWA job names are written, unlike ordinary words.
    static func looksLikeJobName(_ word: String) -> Bool {
        guard word.count >= 3, word == word.uppercased(), word.contains(where: \.isLetter) else { return false }
        guard ErrorCode.extract(from: word).isEmpty else { return false }
        return word.contains { $0 == "_" || $0 == "/" || $0 == "#" || $0.isNumber }
    }
}
