import Foundation
import ResyncCore

/// Turns a `JobFilter` into an OQL expression for `GET /plan/job?oql=…`.
///
/// Field names are those of `JobInPlanV2` and its `jobruns` (`JobRunInstanceV2`) in the OpenAPI document (`name`,
/// `folder`, `jobStreamName`, `jobStreamWorkstation`, `workstation`, `lastRunCommonStatus`,
/// `jobruns.commonStatus`, `jobruns.compositeStatus.status`, `jobruns.timeInfo.actualStartTime`,
/// `jobruns.timeInfo.actualEndTime`). Status and time conditions are a superset on the server; the client re-checks
/// them on the decoded runs (the last one, or any one, as the filter says), whatever the engine does.
enum OQLBuilder {
    static func jobs(_ filter: JobFilter) throws -> String? {
        var clauses: [String] = []
        if let name = filter.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
            clauses.append(contentsOf: try nameClauses(name))
        }
        if let stream = filter.jobStream, !stream.isEmpty {
            clauses.append(try comparison("jobStreamName", stream))
        }
        if let workstation = filter.workstation, !workstation.isEmpty {
            clauses.append(try comparison("workstation", slashed(workstation)))
        }
        if let status = try statusClause(filter) { clauses.append(status) }
        if let since = filter.since {
            let instant = quoted(HWATime.format(since))
            // The runs' own ends, not the job's `endTime`: the reference sample shows a job whose run ended in ABEND
            // with `"endTime": null`, so a job that started before the window and failed inside it would not come
            // back. An earlier run that failed in the window also brings its job when a rerun has replaced it; the
            // client keeps only the runs the filter selects (the last one, or any one).
            clauses.append(
                "(jobruns.timeInfo.actualEndTime >= \(instant) OR jobruns.timeInfo.actualStartTime >= \(instant))")
        }
        if let until = filter.until {
            clauses.append("jobruns.timeInfo.actualStartTime <= \(quoted(HWATime.format(until)))")
        }
        return clauses.isEmpty ? nil : clauses.joined(separator: " AND ")
    }

    /// `name = 'X'` or `name LIKE 'X@'` for job streams.
    static func named(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw SchedulerError.badFilter("an empty name matches nothing") }
        if let (folder, leaf) = splitFolder(trimmed) {
            return "\(try comparison("folder", folder)) AND \(try comparison("name", leaf))"
        }
        return try comparison("name", trimmed)
    }

    /// Exact, wildcard (`*`/`@`), folder-qualified (`/FOLDER/NAME`), `WS#STREAM.JOB` or `WS#/FOLDER/STREAM.JOB`.
    static func nameClauses(_ name: String) throws -> [String] {
        if name.contains("#") {
            guard let id = QualifiedJobName(name) else {
                throw SchedulerError.badFilter("'\(name)' is not of the form WORKSTATION#JOBSTREAM.JOB")
            }
            return [
                try comparison("jobStreamWorkstation", slashed(id.workstation)),
                try id.folder.map { try comparison("folder", $0) }, try comparison("jobStreamName", id.jobStream),
                try comparison("name", id.job),
            ].compactMap { $0 }
        }
        if let (folder, leaf) = splitFolder(name) {
            return [try comparison("folder", folder), try comparison("name", leaf)]
        }
        return [try comparison("name", name)]
    }

    static func statusClause(_ filter: JobFilter) throws -> String? {
        var alternatives: [String] = []
        if !filter.commonStatuses.isEmpty {
            let values = try filter.commonStatuses.map(\.rawValue).sorted().map(checkedQuoted)
            alternatives.append("lastRunCommonStatus IN [\(values.joined(separator: ","))]")
            if filter.runs == .anyRun {
                alternatives.append("jobruns.commonStatus IN [\(values.joined(separator: ","))]")
            }
        }
        if !filter.internalStatuses.isEmpty {
            let values = try filter.internalStatuses.map(\.rawValue).sorted().map(checkedQuoted)
            alternatives.append("jobruns.compositeStatus.status IN [\(values.joined(separator: ","))]")
        }
        switch alternatives.count {
        case 0: return nil
        case 1: return alternatives[0]
        default: return "(" + alternatives.joined(separator: " OR ") + ")"
        }
    }

    /// `/FINANCE/PAYROLL_FINAL` → (`/FINANCE`, `PAYROLL_FINAL`); `/PAYROLL_FINAL` → (`/`, `PAYROLL_FINAL`).
    static func splitFolder(_ name: String) -> (String, String)? {
        guard name.hasPrefix("/"), let slash = name.lastIndex(of: "/") else { return nil }
        let leaf = String(name[name.index(after: slash)...])
        let folder = slash == name.startIndex ? "/" : String(name[..<slash])
        return leaf.isEmpty ? nil : (folder, leaf)
    }

    /// `=` for a literal, `LIKE` (HWA wildcard `@`) when the operator wrote `*` or `@`.
    static func comparison(_ field: String, _ value: String) throws -> String {
        if value.contains("*") || value.contains("@") {
            let pattern = value.replacingOccurrences(of: "*", with: "@")
            return "\(field) LIKE \(try checkedQuoted(pattern))"
        }
        return "\(field) = \(try checkedQuoted(value))"
    }

    /// V2 workstation names are folder-qualified (`/AGENT1`); operators write `AGENT1`.
    static func slashed(_ workstation: String) -> String {
        workstation.hasPrefix("/") ? workstation : "/" + workstation
    }

    /// Quotes a value, refusing characters that could change the meaning of the expression.
    static func checkedQuoted(_ value: String) throws -> String {
        guard !value.contains(where: { $0 == "'" || $0 == "\\" || $0.isNewline }) else {
            throw SchedulerError.badFilter("names cannot contain quotes, backslashes or line breaks")
        }
        return quoted(value)
    }

    private static func quoted(_ value: String) -> String { "'\(value)'" }
}
