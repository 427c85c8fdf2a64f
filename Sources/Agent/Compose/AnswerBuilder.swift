import Foundation
import ResyncCore

/// Fills the parts of an `Answer` every plan shares: knowledge sections, scheduler failure, sources.
struct AnswerBuilder {
    var answer: Answer
    let phrases: Phrases

    init(question: String, parsed: ParsedQuestion, phrases: Phrases, now: Date) {
        self.phrases = phrases
        answer = Answer(question: question, parsed: parsed, headline: "", createdAt: now)
    }

    /// Jobs read from HWA become the live-status section and scheduler sources.
    mutating func setLive(jobs: [Job], streams: [JobStream] = [], log: JobLog? = nil, freshness: Freshness, limit: Int)
    {
        var snapshots = jobs.prefix(limit).map { JobSnapshot(job: $0) }
        if let log, !snapshots.isEmpty { snapshots[0].logTail = log.lines }
        answer.liveStatus = LiveStatusSection(
            freshness: freshness, jobs: snapshots, jobStreams: Array(streams.prefix(limit)))
        for job in jobs.prefix(limit) {
            answer.sources.append(SourceRef(kind: .scheduler, id: job.id, title: job.qualifiedName))
        }
        for stream in streams.prefix(limit) {
            answer.sources.append(SourceRef(kind: .scheduler, id: stream.id, title: stream.name))
        }
    }

    /// HWA could not be read: say so, with the time of the last good read.
    mutating func schedulerUnavailable(reason: String, lastGood: Date?, staleJobs: [Job], limit: Int) {
        answer.notices.append(.schedulerUnavailable(reason: reason, lastGood: lastGood))
        let freshness = Freshness.unavailable(reason: reason, lastGood: lastGood)
        setLive(jobs: staleJobs, freshness: freshness, limit: limit)
        answer.headline = "\(phrases.schedulerDown) (\(phrases.staleSince(lastGood)))"
    }

    /// Procedures, known solutions, owner, contacts and links from what the team knows.
    mutating func apply(_ knowledge: TeamKnowledge?) {
        guard let knowledge else { return }
        if let problem = knowledge.unavailable {
            answer.notices.append(.knowledgeUnavailable(reason: problem))
        } else if knowledge.isEmpty {
            answer.notices.append(.noKnowledge)
        }
        answer.diagnosis = DiagnosisSection(procedures: knowledge.procedures, knownSolutions: knowledge.solutions)
        let entries = knowledge.procedures.map(\.entry)
        if let owner = entries.compactMap(\.owner).first {
            answer.owner = OwnerSection(owner: owner, contacts: unique(entries.compactMap(\.contact)))
        } else if let contact = entries.compactMap(\.contact).first {
            answer.owner = OwnerSection(owner: contact, contacts: unique(entries.compactMap(\.contact)))
        }
        for entry in entries {
            for link in entry.links where !answer.links.contains(where: { $0.url == link }) {
                answer.links.append(AnswerLink(title: entry.title, url: link))
            }
            answer.sources.append(SourceRef(kind: .knowledge, id: entry.key, title: entry.title))
        }
        for memory in knowledge.solutions {
            answer.sources.append(SourceRef(kind: .memory, id: memory.id, title: String(memory.text.prefix(80))))
        }
    }

    private func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
