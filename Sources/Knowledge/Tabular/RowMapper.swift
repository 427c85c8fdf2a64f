import Foundation
import ResyncCore

/// Turns the rows of a sheet into knowledge entries, with a rejection reason for rows it cannot use.
struct RowMapper {
    /// The file as named in keys and reports (relative to the imported folder).
    var file: String
    var sheet: String?

    struct Result {
        var entries: [KnowledgeEntry] = []
        var rejected: [RejectedRow] = []
        var rowsRead = 0
    }

    /// Maps the rows below the header. Each row's cells are released once it is mapped, so that a large
    /// sheet is never held twice, as cells and as entries.
    func map(_ table: inout SheetTable, layout: HeaderLayout) -> Result {
        var result = Result()
        for index in table.rows.indices.dropFirst(layout.rowIndex + 1) {
            let row = table.rows[index]
            table.rows[index].cells = []
            guard !row.isBlank else { continue }
            result.rowsRead += 1
            switch entries(for: row, layout: layout) {
            case .success(let entries): result.entries += entries
            case .failure(let rejection):
                result.rejected.append(RejectedRow(file: file, sheet: sheet, row: row.number, reason: rejection.reason))
            }
        }
        return result
    }

    struct Rejection: Error { var reason: String }

    func entries(for row: SheetRow, layout: HeaderLayout) -> Swift.Result<[KnowledgeEntry], Rejection> {
        var values: [KnowledgeField: [String]] = [:]
        for (column, field) in layout.fields.sorted(by: { $0.key < $1.key }) {
            let value = row.cell(column).trimmedWhitespace
            if !value.isEmpty { values[field, default: []].append(value) }
        }
        let extras = layout.extras.sorted { $0.key < $1.key }.compactMap { column, name -> ExtraField? in
            let value = row.cell(column).trimmedWhitespace
            return value.isEmpty ? nil : ExtraField(name: name, value: value)
        }
        let joined = { (field: KnowledgeField) -> String? in values[field]?.joined(separator: " / ") }
        let description = joined(.description)
        let procedure = joined(.procedure)
        guard description != nil || procedure != nil || joined(.title) != nil else {
            return .failure(Rejection(reason: "no description, procedure or title: nothing to tell an operator"))
        }
        let jobs = Self.splitList(values[.jobName, default: []] + values[.jobPattern, default: []])
        if let bad = jobs.first(where: { !Self.isValidJobName($0) }) {
            return .failure(
                Rejection(reason: "'\(bad)' is not a job name or pattern (letters, digits, _ - / # . * @ ?)"))
        }
        let template = KnowledgeEntry(
            key: "", jobStream: joined(.jobStream), workstation: joined(.workstation),
            errorCodes: Self.splitList(values[.errorCode, default: []]).compactMap(ErrorCode.normalize),
            title: joined(.title) ?? "", description: description, procedure: procedure,
            owner: joined(.owner), contact: joined(.contact),
            links: Self.splitLinks(values[.links, default: []]), severity: joined(.severity), extra: extras,
            source: KnowledgeSource(file: file, sheet: sheet, row: row.number))
        let explicitKey = joined(.key)
        return .success(EntryBuilder.entries(from: template, jobs: jobs, explicitKey: explicitKey, prefix: keyPrefix))
    }

    var keyPrefix: String { file + (sheet.map { "#" + $0 } ?? "") }

    static func splitList(_ values: [String]) -> [String] {
        values.flatMap { $0.split(whereSeparator: { ",;\n".contains($0) }) }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    static func splitLinks(_ values: [String]) -> [String] {
        values.flatMap { $0.split(whereSeparator: { $0.isWhitespace || $0 == ";" || $0 == "," }) }.map(String.init)
    }

    static func isValidJobName(_ name: String) -> Bool {
        name.count <= 200
            && name.unicodeScalars.allSatisfy { scalar in
                (scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil))
                    || "_-/#.*@?$".unicodeScalars.contains(scalar)
            }
    }
}

/// Builds finished entries from a parsed row or runbook: one per job named, with a stable key and a title.
enum EntryBuilder {
    static func entries(
        from template: KnowledgeEntry, jobs: [String], explicitKey: String?, prefix: String
    ) -> [KnowledgeEntry] {
        let targets: [String?] = jobs.isEmpty ? [nil] : jobs.map { $0.uppercased() }
        return targets.map { job in
            var entry = template
            entry.jobPattern = job
            entry.jobStream = entry.jobStream?.uppercased()
            entry.workstation = entry.workstation?.uppercased()
            if entry.title.isEmpty { entry.title = title(for: entry) }
            entry.key = key(for: entry, explicitKey: explicitKey, prefix: prefix, multiple: targets.count > 1)
            return entry
        }
    }

    /// `file#sheet:JOB:RC=12` for job entries; general entries are named by a hash of their title.
    static func key(for entry: KnowledgeEntry, explicitKey: String?, prefix: String, multiple: Bool) -> String {
        if let explicitKey {
            return prefix + ":id:" + explicitKey + (multiple ? ":" + (entry.jobPattern ?? "") : "")
        }
        let errors = entry.errorCodes.sorted().joined(separator: "+")
        if let job = entry.jobPattern {
            return prefix + ":" + job + (errors.isEmpty ? "" : ":" + errors)
        }
        let scope = [entry.jobStream, entry.workstation, errors].compactMap { $0 }.joined(separator: ":")
        return prefix + ":general:" + scope + ":" + StableHash.hex(TextFolding.fold(entry.title))
    }

    static func title(for entry: KnowledgeEntry) -> String {
        let subject = entry.jobPattern ?? entry.jobStream ?? entry.workstation
        let errors = entry.errorCodes.joined(separator: ", ")
        if let subject {
            return errors.isEmpty ? subject : "\(subject) — \(errors)"
        }
        let text = entry.description ?? entry.procedure ?? errors
        let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return firstLine.count > 80 ? String(firstLine.prefix(77)) + "…" : firstLine
    }

    /// Two rows with the same identity get `~2`, `~3`… in file order, so keys stay unique and stable.
    static func disambiguate(_ entries: inout [KnowledgeEntry]) {
        var seen: [String: Int] = [:]
        for index in entries.indices {
            let count = seen[entries[index].key, default: 0] + 1
            seen[entries[index].key] = count
            if count > 1 { entries[index].key += "~\(count)" }
        }
    }
}
