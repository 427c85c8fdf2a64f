import Foundation
import ResyncCore

/// Renders an `Answer` as Mattermost Markdown: headline, a table for job lists (a fact list for one job),
/// diagnosis, owner, links, notices; split into posts under Mattermost's size limit.
public struct MattermostMarkdownRenderer: Sendable {
    /// Mattermost posts hold at most 16,383 characters (v5.0+); the default leaves room for a marker.
    public var maximumPostLength: Int

    public init(maximumPostLength: Int = 16_000) {
        self.maximumPostLength = max(200, maximumPostLength)
    }

    /// The answer as one or more posts; the first goes where the question asked, the rest in its thread.
    public func render(_ answer: Answer) -> [String] {
        MattermostChunker(limit: maximumPostLength).split(markdown(for: answer))
    }

    public func markdown(for answer: Answer) -> String {
        let words = AnswerPresentation(for: answer)
        var blocks = ["#### \(Self.escape(answer.headline))"]
        if let live = answer.liveStatus {
            if live.jobs.count == 1, let snapshot = live.jobs.first {
                blocks.append(
                    words.facts(for: snapshot.job).map { "- **\($0.0):** \(Self.escape($0.1))" }.joined(separator: "\n")
                )
                if let tail = snapshot.logTail, !tail.isEmpty {
                    blocks.append("**\(words.logTailTitle)**\n```\n\(tail.joined(separator: "\n"))\n```")
                }
            } else if !live.jobs.isEmpty {
                blocks.append(jobTable(live.jobs.map(\.job), words))
            }
            if !live.jobStreams.isEmpty {
                let rows = live.jobStreams.map {
                    "| \(Self.cell("\($0.workstation.trimmingLeadingSlash)#\($0.name)")) | \(Self.cell($0.commonStatus.rawValue)) |"
                }
                blocks.append(
                    (["| \(words.jobStreamLabel) | \(words.statusLabel) |", "|:--|:--|"] + rows).joined(separator: "\n")
                )
            }
            blocks.append("_\(Self.escape(words.freshnessLine(live.freshness)))_")
        }
        if let health = answer.health { blocks.append(healthBlock(health, words)) }
        if let body = answer.body, !body.isEmpty { blocks.append(body) }
        if !answer.diagnosis.isEmpty {
            var lines = ["**\(words.diagnosisTitle)**"]
            lines += answer.diagnosis.procedures.map { "- " + Self.escape(words.line(for: $0)) }
            if !answer.diagnosis.knownSolutions.isEmpty {
                lines.append("**\(words.knownSolutionsTitle)**")
                lines += answer.diagnosis.knownSolutions.map { "- " + Self.escape($0.text) }
            }
            blocks.append(lines.joined(separator: "\n"))
        }
        if let owner = answer.owner {
            let contacts = owner.contacts.isEmpty ? "" : " (\(owner.contacts.joined(separator: ", ")))"
            blocks.append("**\(words.ownerTitle):** \(Self.escape(owner.owner))\(contacts)")
        }
        if let next = answer.nextStep { blocks.append("**\(words.nextStepLabel):** \(Self.escape(next))") }
        if !answer.notices.isEmpty {
            blocks.append(answer.notices.map { "> " + words.line(for: $0) }.joined(separator: "\n"))
        }
        if !answer.links.isEmpty {
            blocks.append(answer.links.map { "- [\(Self.escape($0.title))](\($0.url))" }.joined(separator: "\n"))
        }
        return blocks.joined(separator: "\n\n")
    }

    private func jobTable(_ jobs: [Job], _ words: AnswerPresentation) -> String {
        var lines = [
            "| \(words.jobLabel) | \(words.statusLabel) | \(words.returnCodeLabel) | \(words.startedLabel) | \(words.endedLabel) |",
            "|:--|:--|--:|:--|:--|",
        ]
        for job in jobs {
            let run = job.lastRun
            var status =
                run?.internalStatus.map { "\(job.commonStatus.rawValue) (\($0.rawValue))" } ?? job.commonStatus.rawValue
            if let note = words.recoveryNote(for: job) { status += " — \(words.failureLabel): \(note)" }
            let cells = [
                job.qualifiedName, status, run?.returnCode.map { String($0) } ?? "",
                run?.startTime.map(words.time) ?? "", run?.endTime.map(words.time) ?? "",
            ]
            lines.append("| " + cells.map(Self.cell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    private func healthBlock(_ health: HealthSummary, _ words: AnswerPresentation) -> String {
        var lines = ["**\(words.healthTitle)**", "| \(words.statusLabel) | # |", "|:--|--:|"]
        lines += health.countsByStatus.sorted { $0.key < $1.key }.map { "| \(Self.cell($0.key)) | \($0.value) |" }
        lines.append("")
        lines.append("- **\(words.workstationsLabel):** \(health.workstationCount)")
        if !health.workstationsNeedingAttention.isEmpty {
            lines.append(
                "- **\(words.needingAttentionLabel):** \(health.workstationsNeedingAttention.map(\.name).joined(separator: ", "))"
            )
        }
        if !health.recentFailures.isEmpty {
            lines.append(
                "- **\(words.recentFailuresLabel):** \(health.recentFailures.map(\.qualifiedName).joined(separator: ", "))"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// A table cell: pipes escaped and line breaks flattened, so a value cannot break the table.
    static func cell(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Job names are full of `_` and `*`; escape what Markdown would turn into emphasis.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            if "_*`~".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

/// Splits Markdown into posts no longer than `limit`, at block, then line, boundaries. A table split across
/// posts repeats its header; a code fence split across posts is closed and reopened.
struct MattermostChunker {
    let limit: Int

    func split(_ markdown: String) -> [String] {
        guard markdown.count > limit else { return [markdown] }
        var posts: [String] = []
        var current: [String] = []
        var currentLength = 0
        var tableHeader: [String]?
        var inFence = false

        func flush(before nextLine: String) {
            guard !current.isEmpty else { return }
            var text = current.joined(separator: "\n")
            if inFence { text += "\n```" }
            posts.append(text)
            current = []
            currentLength = 0
            if inFence {
                current = ["```"]
                currentLength = 4
            } else if let tableHeader, nextLine.hasPrefix("|") {
                current = tableHeader
                currentLength = tableHeader.reduce(0) { $0 + $1.count + 1 }
            }
        }

        for rawLine in markdown.components(separatedBy: "\n") {
            for line in hardWrap(rawLine) {
                // Reserve room for a closing fence.
                if currentLength + line.count + 1 + 4 > limit { flush(before: line) }
                current.append(line)
                currentLength += line.count + 1
                if line.hasPrefix("```") { inFence.toggle() }
                if !inFence { tableHeader = nextTableHeader(after: line, current: current, header: tableHeader) }
            }
        }
        if !current.isEmpty { posts.append(current.joined(separator: "\n")) }
        return posts
    }

    /// Tracks the header (title row and alignment row) of the table being written, nil outside tables.
    private func nextTableHeader(after line: String, current: [String], header: [String]?) -> [String]? {
        guard line.hasPrefix("|") else { return nil }
        if line.hasPrefix("|:-") || line.hasPrefix("|--"), current.count >= 2 {
            return Array(current.suffix(2))
        }
        return header
    }

    /// Cuts a single line longer than a post into pieces.
    private func hardWrap(_ line: String) -> [String] {
        let width = limit - 8
        guard line.count > width else { return [line] }
        var pieces: [String] = []
        var rest = Substring(line)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return pieces
    }
}
