import Foundation
import ResyncCore

/// Renders an `Answer` as plain text, Markdown, or text with terminal colours. Chat platforms write their
/// own renderers (blocks, cards); this one serves `resync ask`, logs and simple surfaces.
public struct AnswerTextRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case plain, markdown, terminal
    }

    public var format: Format
    public var timeZone: TimeZone

    public init(format: Format = .plain, timeZone: TimeZone = .gmt) {
        self.format = format
        self.timeZone = timeZone
    }

    public func render(_ answer: Answer) -> String {
        let phrases = Phrases(language: answer.language, timeZone: timeZone)
        var lines = [strong(answer.headline)]
        lines += answer.notices.map { "⚠ " + notice($0, phrases) }
        if let live = answer.liveStatus { lines += liveStatus(live, phrases) }
        if let health = answer.health { lines += self.health(health, phrases) }
        lines += diagnosis(answer.diagnosis, phrases)
        if let owner = answer.owner {
            let contacts = owner.contacts.filter { $0 != owner.owner }
            lines.append(
                heading(phrases.pick("Responsável", "Owner")) + " " + owner.owner
                    + (contacts.isEmpty ? "" : " — " + contacts.joined(separator: ", ")))
        }
        if !answer.links.isEmpty {
            lines.append(heading(phrases.pick("Links", "Links")))
            lines += answer.links.map { link in
                format == .markdown ? "- [\(escape(link.title))](\(link.url))" : "  • \(link.title): \(link.url)"
            }
        }
        if let next = answer.nextStep {
            lines.append(heading(phrases.pick("Próximo passo:", "Next step:")) + " " + next)
        }
        if let body = answer.body { lines += ["", body] }
        if !answer.sources.isEmpty {
            let sources = answer.sources.prefix(12).map { "\($0.kind.rawValue):\($0.id)" }.joined(separator: ", ")
            lines.append(dim(phrases.pick("Fontes: ", "Sources: ") + sources))
        }
        return lines.joined(separator: "\n")
    }

    func notice(_ notice: AnswerNotice, _ phrases: Phrases) -> String {
        switch notice {
        case .schedulerUnavailable(let reason, let lastGood):
            let stale = lastGood.map {
                phrases.pick(" — último status bom às ", " — last good status at ") + phrases.clock($0)
            }
            return phrases.pick("HWA indisponível: ", "HWA unreachable: ") + reason + (stale ?? "")
        case .noKnowledge:
            return phrases.pick(
                "A base de conhecimento não tem nada sobre isso", "The knowledge base has nothing on this")
        case .knowledgeUnavailable(let reason):
            return phrases.pick("Base de conhecimento indisponível: ", "Knowledge base unavailable: ") + reason
        case .ambiguousJob(let name, let candidates):
            return phrases.pick("\(name) corresponde a vários jobs: ", "\(name) matches several jobs: ")
                + candidates.prefix(10).joined(separator: ", ")
        case .unknownJob(let name, let suggestions):
            return phrases.unknownJob(name, suggestions: suggestions)
        case .declinedWrite: return phrases.pick("O Resync é somente leitura no HWA", "Resync is read-only towards HWA")
        case .notUnderstood: return phrases.pick("Pergunta não entendida", "Question not understood")
        case .accessDenied:
            return phrases.pick(
                "Acesso negado a este objeto neste canal", "Access to this object is denied in this channel")
        case .llmFallback(let reason):
            return phrases.pick(
                "LLM indisponível, resposta determinística: ", "LLM unavailable, deterministic answer: ") + reason
        }
    }

    func liveStatus(_ live: LiveStatusSection, _ phrases: Phrases) -> [String] {
        guard !live.jobs.isEmpty || !live.jobStreams.isEmpty else { return [] }
        let when: String
        switch live.freshness {
        case .live(let at): when = phrases.pick("ao vivo, ", "live, ") + phrases.stamp(at)
        case .unavailable(_, let lastGood):
            when = lastGood.map { phrases.pick("desatualizado, de ", "stale, from ") + phrases.stamp($0) } ?? "?"
        }
        var lines = [heading(phrases.pick("Status", "Status")) + " " + dim("(\(when))")]
        for stream in live.jobStreams {
            lines.append("  • \(stream.workstation.trimmingLeadingSlash)#\(stream.name) — \(stream.commonStatus)")
        }
        for snapshot in live.jobs {
            let job = snapshot.job
            lines.append(jobLine(job, phrases))
            let open = job.dependencies.filter { !$0.satisfied }
            for dependency in open {
                lines.append("      ⏳ \(dependency.kind.rawValue) \(dependency.target) \(dependency.status ?? "")")
            }
            if let log = snapshot.logTail, !log.isEmpty {
                lines.append(format == .markdown ? "```" : "    log:")
                lines += log.map {
                    format == .markdown ? $0.replacingOccurrences(of: "```", with: "'''") : "    | " + $0
                }
                if format == .markdown { lines.append("```") }
            }
        }
        return lines
    }

    /// A job's state and times; for a job recovered from a failure, the failure and the rerun that recovered it.
    func jobLine(_ job: Job, _ phrases: Phrases) -> String {
        let history = phrases.failureHistory(job)
        if job.isRecovered, let history { return "  • \(code(job.qualifiedName)) — \(history)" }
        var line = "  • \(code(job.qualifiedName)) — \(phrases.jobState(job))"
        if let start = job.lastRun?.startTime {
            line += phrases.pick(", início ", ", start ") + phrases.clock(start)
        }
        if let end = job.lastRun?.endTime { line += phrases.pick(", fim ", ", end ") + phrases.clock(end) }
        return line + (history.map { " (\($0))" } ?? "")
    }

    func health(_ health: HealthSummary, _ phrases: Phrases) -> [String] {
        var lines: [String] = []
        if let engine = health.engine {
            lines.append(heading("Engine:") + " HWA \(engine.version)" + (engine.timeZone.map { " (\($0))" } ?? ""))
        }
        lines.append(
            heading("Workstations:") + " \(health.workstationCount), "
                + phrases.pick("com problema: ", "needing attention: ")
                + (health.workstationsNeedingAttention.isEmpty
                    ? "0" : health.workstationsNeedingAttention.map(\.name).joined(separator: ", ")))
        let ordered = health.countsByStatus.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }
        if !ordered.isEmpty {
            lines.append(
                heading(phrases.pick("Jobs por status:", "Jobs by status:")) + " " + ordered.joined(separator: ", "))
        }
        if !health.recentFailures.isEmpty {
            lines.append(heading(phrases.pick("Falhas recentes:", "Recent failures:")))
            lines += health.recentFailures.map { job in
                "  • \(code(job.qualifiedName)) — " + (phrases.failureHistory(job) ?? phrases.jobState(job))
            }
        }
        if !health.topFailingStreams.isEmpty {
            lines.append(
                heading(phrases.pick("Streams com mais falhas:", "Top failing streams:")) + " "
                    + health.topFailingStreams.map { "\($0.jobStream) (\($0.failures))" }.joined(separator: ", "))
        }
        return lines
    }

    func diagnosis(_ diagnosis: DiagnosisSection, _ phrases: Phrases) -> [String] {
        guard !diagnosis.isEmpty else { return [] }
        var lines = [heading(phrases.pick("O que a equipe sabe:", "What the team knows:"))]
        for match in diagnosis.procedures {
            let reasons = match.reasons.map(\.description).joined(separator: ", ")
            lines.append("  • \(strong(match.entry.title))" + (reasons.isEmpty ? "" : dim(" [\(reasons)]")))
            if let procedure = match.entry.procedure { lines.append("    " + procedure) }
        }
        for memory in diagnosis.knownSolutions {
            lines.append("  • " + phrases.pick("Solução conhecida: ", "Known solution: ") + memory.text)
        }
        return lines
    }

    private func strong(_ text: String) -> String {
        switch format {
        case .plain: text
        case .markdown: "**\(escape(text))**"
        case .terminal: "\u{1B}[1m\(text)\u{1B}[0m"
        }
    }

    private func heading(_ text: String) -> String { strong(text) }

    private func dim(_ text: String) -> String {
        switch format {
        case .plain: text
        case .markdown: "_\(escape(text))_"
        case .terminal: "\u{1B}[2m\(text)\u{1B}[0m"
        }
    }

    private func code(_ text: String) -> String { format == .markdown ? "`\(text)`" : text }

    /// Markdown control characters in data (job names, titles) must not become formatting.
    private func escape(_ text: String) -> String {
        guard format == .markdown else { return text }
        return text.reduce(into: "") { result, character in
            if "*_[]`".contains(character) { result.append("\\") }
            result.append(character)
        }
    }
}
