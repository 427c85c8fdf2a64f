import Foundation
import ResyncCore

/// Renders an `Answer` as Block Kit: a headline with a status emoji, one section per job with fields for
/// return code, times and workstation, the team's procedure and owner, a context line with freshness and
/// sources, and feedback buttons. Long content (logs, prose) continues in thread messages, keeping every
/// message under Slack's limits.
struct SlackRenderer: Sendable {
    func render(_ answer: Answer) -> [SlackMessageBody] {
        let labels = SlackLabels(language: answer.language, timeZone: answer.displayTimeZone)
        var content: [SlackBlock] = [.section(.mrkdwn(truncated(headline(answer), to: SlackLimits.sectionText)))]
        content += liveStatusBlocks(answer, labels: labels)
        content += healthBlocks(answer.health, labels: labels)
        content += knowledgeBlocks(answer, labels: labels)
        content += proseBlocks(answer, labels: labels)
        let logChunks = logBlocks(answer.liveStatus, labels: labels)
        let tail = tailBlocks(answer, labels: labels)
        let fallback = truncated(slackEscaped(plainSummary(answer, labels: labels)), to: SlackLimits.fallbackText)
        var messages = paginate(content, reserving: tail, fallback: fallback, labels: labels)
        // Logs always go after the answer, in the thread, as code blocks.
        let logPages = paginate(logChunks, reserving: [], fallback: labels.logContinued, labels: labels)
        if !logChunks.isEmpty { messages += logPages }
        return messages
    }

    func render(notice: String) -> SlackMessageBody {
        let text = truncated(slackEscaped(notice), to: SlackLimits.sectionText)
        return SlackMessageBody(text: text, blocks: [.section(.mrkdwn(text))])
    }

    // MARK: Sections

    func headline(_ answer: Answer) -> String {
        let state = answer.liveStatus?.jobs.first.map { SlackStatusEmoji.emoji(for: $0.job) }
        let prefix =
            answer.notices.contains(.accessDenied) && answer.liveStatus == nil ? ":lock:" : state ?? ":robot_face:"
        return "\(prefix) *\(slackEscaped(answer.headline))*"
    }

    func liveStatusBlocks(_ answer: Answer, labels: SlackLabels) -> [SlackBlock] {
        guard let live = answer.liveStatus else { return [] }
        var blocks: [SlackBlock] = []
        for snapshot in live.jobs.prefix(20) {
            let job = snapshot.job
            let run = job.lastRun
            var status = job.commonStatus.rawValue
            if let internalStatus = run?.internalStatus ?? job.internalStatus {
                status += " (\(internalStatus.rawValue))"
            }
            let title =
                "\(SlackStatusEmoji.emoji(for: job)) *\(slackEscaped(job.qualifiedName))* — \(slackEscaped(status))"
            var fields: [SlackText] = []
            if let rc = run?.returnCode { fields.append(.mrkdwn("*\(labels.returnCode)*\n\(rc)")) }
            if let start = run?.startTime { fields.append(.mrkdwn("*\(labels.started)*\n\(labels.time(start))")) }
            if let end = run?.endTime { fields.append(.mrkdwn("*\(labels.ended)*\n\(labels.time(end))")) }
            fields.append(.mrkdwn("*\(labels.workstation)*\n\(slackEscaped(job.workstation))"))
            let presentation = labels.presentation
            if let note = presentation.recoveryNote(for: job) {
                fields.append(.mrkdwn("*\(presentation.failureLabel)*\n\(slackEscaped(note))"))
            }
            let pending = job.dependencies.filter { !$0.satisfied }.prefix(5)
            let waiting =
                pending.isEmpty
                ? "" : "\n*\(labels.waitingOn)*: " + pending.map { slackEscaped($0.target) }.joined(separator: ", ")
            blocks.append(.section(.mrkdwn(truncated(title + waiting, to: SlackLimits.sectionText)), fields: fields))
        }
        if live.jobs.count > 20 { blocks.append(.context([.mrkdwn(labels.more(live.jobs.count - 20))])) }
        if !live.jobStreams.isEmpty {
            let lines = live.jobStreams.prefix(30).map {
                "\(SlackStatusEmoji.emoji(for: $0.commonStatus)) *\(slackEscaped($0.name))* @ \(slackEscaped($0.workstation)) — \($0.commonStatus.rawValue)"
            }
            blocks += chunked(lines: lines, limit: SlackLimits.sectionText).map {
                SlackBlock.section(SlackText.mrkdwn($0))
            }
        }
        return blocks
    }

    func healthBlocks(_ health: HealthSummary?, labels: SlackLabels) -> [SlackBlock] {
        guard let health else { return [] }
        var lines: [String] = []
        if let engine = health.engine { lines.append("*\(labels.engine)*: \(slackEscaped(engine.version))") }
        lines.append("*\(labels.workstations)*: \(health.workstationCount)")
        for workstation in health.workstationsNeedingAttention.prefix(10) {
            lines.append(":warning: \(slackEscaped(workstation.name))")
        }
        let counts = health.countsByStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if !counts.isEmpty { lines.append(counts.joined(separator: " · ")) }
        for job in health.recentFailures.prefix(10) {
            let rc = job.lastRun?.returnCode.map { " RC \($0)" } ?? ""
            let recovered = labels.presentation.recoveryNote(for: job).map { " — \($0)" }
            lines.append(
                "\(SlackStatusEmoji.emoji(for: job)) \(slackEscaped(job.qualifiedName))\(rc)"
                    + slackEscaped(recovered ?? ""))
        }
        for stream in health.topFailingStreams.prefix(5) {
            lines.append("• \(slackEscaped(stream.jobStream)): \(stream.failures)")
        }
        return chunked(lines: lines, limit: SlackLimits.sectionText).map { SlackBlock.section(SlackText.mrkdwn($0)) }
    }

    func knowledgeBlocks(_ answer: Answer, labels: SlackLabels) -> [SlackBlock] {
        var blocks: [SlackBlock] = []
        for match in answer.diagnosis.procedures.prefix(3) {
            let entry = match.entry
            var text = ":book: *\(labels.procedure) — \(slackEscaped(entry.title))*"
            if let procedure = entry.procedure ?? entry.description { text += "\n" + slackEscaped(procedure) }
            if answer.owner == nil, let owner = entry.owner {
                text += "\n:bust_in_silhouette: *\(labels.owner)*: " + slackEscaped(owner)
                if let contact = entry.contact { text += " — " + slackEscaped(contact) }
            }
            blocks.append(.section(.mrkdwn(truncated(text, to: SlackLimits.sectionText))))
        }
        for memory in answer.diagnosis.knownSolutions.prefix(3) {
            let text = ":bulb: *\(labels.knownSolution)*: " + slackEscaped(memory.text)
            blocks.append(.section(.mrkdwn(truncated(text, to: SlackLimits.sectionText))))
        }
        if let owner = answer.owner {
            var text = ":bust_in_silhouette: *\(labels.owner)*: \(slackEscaped(owner.owner))"
            if !owner.contacts.isEmpty { text += " — " + owner.contacts.map(slackEscaped).joined(separator: ", ") }
            blocks.append(.section(.mrkdwn(truncated(text, to: SlackLimits.sectionText))))
        }
        return blocks
    }

    func proseBlocks(_ answer: Answer, labels: SlackLabels) -> [SlackBlock] {
        var blocks: [SlackBlock] = []
        if let next = answer.nextStep {
            blocks.append(
                .section(
                    .mrkdwn(
                        truncated(
                            ":arrow_right: *\(labels.nextStep)*: \(slackEscaped(next))", to: SlackLimits.sectionText))))
        }
        if let body = answer.body, !body.isEmpty {
            let lines = slackEscaped(body).components(separatedBy: "\n")
            blocks += chunked(lines: lines, limit: SlackLimits.sectionText).map {
                SlackBlock.section(SlackText.mrkdwn($0))
            }
        }
        let links = answer.links.prefix(10).compactMap { link -> String? in
            guard SlackInboundParser.isHTTPURL(link.url), !link.url.contains("|"), !link.url.contains(">") else {
                return nil
            }
            return "<\(link.url)|\(slackEscaped(link.title).replacingOccurrences(of: "|", with: "/"))>"
        }
        if !links.isEmpty {
            blocks.append(.section(.mrkdwn(truncated(links.joined(separator: " · "), to: SlackLimits.sectionText))))
        }
        let notices = answer.notices.compactMap { labels.notice($0) }
        if !notices.isEmpty {
            blocks.append(
                .context(
                    notices.prefix(SlackLimits.contextElements).map {
                        SlackText.mrkdwn(truncated($0, to: SlackLimits.fieldText))
                    }))
        }
        return blocks
    }

    func logBlocks(_ live: LiveStatusSection?, labels: SlackLabels) -> [SlackBlock] {
        guard let live else { return [] }
        var blocks: [SlackBlock] = []
        for snapshot in live.jobs {
            guard let log = snapshot.logTail, !log.isEmpty else { continue }
            // Inside a code block only the three control characters need escaping; the fences take 8.
            let lines = log.map { slackEscaped($0.replacingOccurrences(of: "```", with: "'''")) }
            let parts = chunked(lines: lines, limit: SlackLimits.sectionText - 8 - 80)
            for (index, part) in parts.enumerated() {
                let title = truncated(
                    "*\(labels.log) — \(slackEscaped(snapshot.job.qualifiedName))* (\(index + 1)/\(parts.count))",
                    to: 80)
                blocks.append(.section(.mrkdwn(title + "\n```" + part + "```")))
            }
        }
        return blocks
    }

    func tailBlocks(_ answer: Answer, labels: SlackLabels) -> [SlackBlock] {
        var context: [String] = []
        switch answer.liveStatus?.freshness {
        case .live(let at): context.append(":satellite: \(labels.live) \(labels.time(at))")
        case .unavailable(let reason, let lastGood):
            context.append(
                ":warning: \(labels.unavailable): \(slackEscaped(reason))"
                    + (lastGood.map { " (\(labels.lastGood) \(labels.time($0)))" } ?? ""))
        case nil: break
        }
        if !answer.sources.isEmpty {
            let sources = answer.sources.prefix(6).map { "\($0.kind.rawValue): \(slackEscaped($0.title))" }
            context.append("\(labels.sources): " + sources.joined(separator: "; "))
        }
        if let elapsed = answer.elapsedMilliseconds { context.append(String(format: "%.0f ms", elapsed)) }
        var blocks: [SlackBlock] = []
        if !context.isEmpty {
            blocks.append(
                .context(
                    context.prefix(SlackLimits.contextElements).map {
                        SlackText.mrkdwn(truncated($0, to: SlackLimits.fieldText))
                    }))
        }
        var buttons = [
            SlackButton(
                action_id: SlackInboundParser.ActionID.helpful, text: .plain("👍 \(labels.helpful)"), value: answer.id),
            SlackButton(
                action_id: SlackInboundParser.ActionID.wrong, text: .plain("👎 \(labels.wrong)"), value: answer.id),
        ]
        if let job = primaryJobName(of: answer), !answer.notices.contains(.accessDenied) {
            buttons.append(
                SlackButton(action_id: SlackInboundParser.ActionID.showLog, text: .plain(labels.showLog), value: job))
            buttons.append(
                SlackButton(action_id: SlackInboundParser.ActionID.explain, text: .plain(labels.explain), value: job))
        }
        blocks.append(.actions(buttons))
        return blocks
    }

    /// The headline, with the answer's owner. A listed entry's owner is not the job's owner (the agent decides
    /// which entries may name it), so the summary never falls back to one.
    func plainSummary(_ answer: Answer, labels: SlackLabels) -> String {
        var summary = answer.headline
        if let owner = answer.owner?.owner {
            summary += " — \(labels.owner): \(owner)"
        }
        return summary
    }

    // MARK: Pagination

    /// Splits blocks into messages of at most 50 blocks and `messageBudget` characters; the first message
    /// keeps room for `tail` (context and buttons), the rest continue in the thread.
    func paginate(_ blocks: [SlackBlock], reserving tail: [SlackBlock], fallback: String, labels: SlackLabels)
        -> [SlackMessageBody]
    {
        guard !blocks.isEmpty else { return [] }
        var pages: [[SlackBlock]] = [[]]
        var size = 0
        var reserved = tail.count
        for block in blocks {
            let blockSize = Self.textSize(block)
            let full = pages[pages.count - 1].count + reserved >= SlackLimits.blocksPerMessage
            if !pages[pages.count - 1].isEmpty && (full || size + blockSize > SlackLimits.messageBudget) {
                pages.append([])
                size = 0
                reserved = 0
            }
            pages[pages.count - 1].append(block)
            size += blockSize
        }
        pages[0] += tail
        return pages.enumerated().map { index, page in
            SlackMessageBody(text: index == 0 ? fallback : labels.continued(index + 1, of: pages.count), blocks: page)
        }
    }

    static func textSize(_ block: SlackBlock) -> Int {
        switch block {
        case .section(let text, let fields): text.text.count + fields.reduce(0) { $0 + $1.text.count }
        case .context(let elements): elements.reduce(0) { $0 + $1.text.count }
        case .actions(let buttons): buttons.count * 40
        case .divider: 0
        }
    }
}
