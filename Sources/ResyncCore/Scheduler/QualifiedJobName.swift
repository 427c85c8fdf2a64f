/// HWA's id of a job in the plan as operators write it and `Job.qualifiedName` prints it: `WS#STREAM.JOB`, or
/// `WS#/FOLDER/STREAM.JOB` for a job stream in a folder (conman also takes `FOLDER/STREAM` without the slash).
/// One parser for every place that reads the id: the OQL builder, knowledge patterns, the access gate.
public struct QualifiedJobName: Hashable, Sendable {
    /// The job stream's workstation, as written.
    public var workstation: String
    /// `/FINANCE`, `/` for a stream written as `/STREAM`; nil when the id names no folder (any folder matches).
    public var folder: String?
    public var jobStream: String
    public var job: String

    /// Nil when `text` is not of the form `WS#[FOLDER/]STREAM.JOB`.
    public init?(_ text: String) {
        guard let hash = text.firstIndex(of: "#") else { return nil }
        let rest = text[text.index(after: hash)...]
        guard hash != text.startIndex, let dot = rest.lastIndex(of: ".") else { return nil }
        let path = rest[..<dot]
        let job = rest[rest.index(after: dot)...]
        var folder: String?
        var stream = path
        if let slash = path.lastIndex(of: "/") {
            stream = path[path.index(after: slash)...]
            let trimmed = path[..<slash].split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
            folder = "/" + trimmed
        }
        guard !stream.isEmpty, !job.isEmpty else { return nil }
        self.workstation = String(text[..<hash])
        self.folder = folder
        self.jobStream = String(stream)
        self.job = String(job)
    }
}
