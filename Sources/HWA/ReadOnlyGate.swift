import ResyncCore

/// The one door every request goes through. Only `GET` on an explicit list of V2 read paths passes;
/// anything else (any `PUT …/action/*`, `POST …/submit*`, `PATCH`, `DELETE`, unknown paths) is refused
/// before a byte leaves the process. Resync is read-only towards HWA by construction, not by setting.
public enum ReadOnlyGate {
    /// The V2 path templates the client may read, relative to the base URL (which ends in `/twsd`).
    public static let allowedTemplates: [String] = [
        "/api/v2/engine/info",
        "/api/v2/plan/job",
        "/api/v2/plan/job/count",
        "/api/v2/plan/job/{job_id}",
        "/api/v2/plan/job/run/{run_id}/joblog",
        "/api/v2/plan/jobstream",
        "/api/v2/plan/workstation",
    ]

    /// Path segments that name a write in the V2 API; a parameter value equal to one never matches.
    static let reservedSegments: Set<String> = [
        "action", "submit", "submit-ad-hoc-job", "count", "run", "joblog", "async", "model", "predecessors",
        "successors", "no-validate", "issues",
    ]

    /// Throws `SchedulerError.refusedWrite` unless `method` is GET and `path` matches an allowed template.
    /// `path` is relative to the base URL and carries no query string.
    public static func check(method: String, path: String) throws {
        guard method.uppercased() == "GET", isAllowed(path: path) else {
            throw SchedulerError.refusedWrite(method: method.uppercased(), path: path)
        }
    }

    static func isAllowed(path: String) -> Bool {
        let segments = split(path)
        guard !segments.isEmpty, !segments.contains(where: { $0 == "." || $0 == ".." }) else { return false }
        return allowedTemplates.contains { matches(template: split($0), segments: segments) }
    }

    private static func matches(template: [Substring], segments: [Substring]) -> Bool {
        guard template.count == segments.count else { return false }
        for (pattern, segment) in zip(template, segments) {
            if pattern.hasPrefix("{") {
                // An id is opaque but never a write verb and never smuggles a separator.
                if segment.isEmpty || reservedSegments.contains(segment.lowercased())
                    || segment.contains(where: { "?#;%\\".contains($0) })
                {
                    return false
                }
            } else if pattern != segment {
                return false
            }
        }
        return true
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }
}
