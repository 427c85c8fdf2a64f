import Foundation
import ResyncCore

/// Reads a Markdown runbook with a small front matter into entries (one per job named):
///
///     ---
///     title: Folha de pagamento falhou
///     jobs: [PAYROLL_*, FINAL_BATCH_PAYROLL]
///     error_codes: [RC=12, S0C4]
///     owner: Equipe Folha
///     contact: folha-oncall@example.com
///     links: [https://wiki.example.com/folha]
///     ---
///     # Folha de pagamento falhou
///     1. Verifique…
enum RunbookReader {
    static func read(url: URL, file: String) throws(KnowledgeImportError) -> [KnowledgeEntry] {
        let text: String
        do {
            text = CSVReader.decode(try Data(contentsOf: url))
        } catch {
            throw .unreadableText(file: file, reason: "\(error.localizedDescription)")
        }
        return parse(text, file: file)
    }

    static func parse(_ text: String, file: String) -> [KnowledgeEntry] {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map(String.init)
        let (meta, bodyLines) = frontMatter(lines)
        var body = bodyLines
        var heading: String?
        if let index = body.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }),
            body[index].hasPrefix("# ")
        {
            heading = String(body[index].dropFirst(2)).trimmingCharacters(in: .whitespaces)
            body.remove(at: index)
        }
        let procedure = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        let firstParagraph = procedure.components(separatedBy: "\n\n").first { !$0.hasPrefix("#") }
        let fileTitle = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let template = KnowledgeEntry(
            key: "",
            jobStream: meta.scalar("job_stream") ?? meta.scalar("fluxo"),
            workstation: meta.scalar("workstation"),
            errorCodes: meta.list("error_codes").compactMap(ErrorCode.normalize),
            title: meta.scalar("title") ?? meta.scalar("titulo") ?? heading ?? fileTitle,
            description: meta.scalar("description") ?? meta.scalar("descricao") ?? firstParagraph,
            procedure: procedure.isEmpty ? nil : procedure,
            owner: meta.scalar("owner") ?? meta.scalar("responsavel"),
            contact: meta.scalar("contact") ?? meta.scalar("contato"),
            links: meta.list("links"),
            severity: meta.scalar("severity") ?? meta.scalar("criticidade"),
            source: KnowledgeSource(file: file))
        let jobs = meta.list("jobs") + meta.list("job")
        return EntryBuilder.entries(from: template, jobs: jobs, explicitKey: meta.scalar("id"), prefix: file)
    }

    struct FrontMatter {
        var values: [String: [String]] = [:]

        func scalar(_ key: String) -> String? { values[key]?.joined(separator: ", ") }
        func list(_ key: String) -> [String] { values[key] ?? [] }
    }

    /// Parses `key: value`, `key: [a, b]` and block lists (`key:` then `  - a`) between `---` lines.
    static func frontMatter(_ lines: [String]) -> (FrontMatter, [String]) {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else { return (FrontMatter(), lines) }
        var meta = FrontMatter()
        var currentKey: String?
        for line in lines[1..<end] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- "), let key = currentKey {
                meta.values[key, default: []].append(unquote(String(trimmed.dropFirst(2))))
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = TextFolding.fold(String(trimmed[..<colon])).replacingOccurrences(of: " ", with: "_")
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            currentKey = key
            if value.hasPrefix("[") && value.hasSuffix("]") {
                meta.values[key] = value.dropFirst().dropLast().split(separator: ",")
                    .map { unquote($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
            } else if !value.isEmpty {
                meta.values[key] = [unquote(value)]
            }
        }
        return (meta, Array(lines[(end + 1)...]))
    }

    static func unquote(_ text: String) -> String {
        for quote in ["\"", "'"] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote) {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
