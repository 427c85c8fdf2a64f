import Foundation
import ResyncCore

/// Fills the parts of an `Answer` every plan shares: knowledge sections, scheduler failure, sources.
struct AnswerBuilder {
    var answer: Answer
    let phrases: Phrases

    init(question: String, parsed: ParsedQuestion, phrases: Phrases, now: Date) {
        self.phrases = phrases
        answer = Answer(
            question: question, parsed: parsed, headline: "", createdAt: now, timeZone: phrases.timeZone.identifier)
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

    /// Procedures, known solutions, owner, contacts and links from what the team knows. Only entries about
    /// the question's subject name the owner: the first of them that has one, with the contacts of the
    /// entries of that owner.
    mutating func apply(_ knowledge: TeamKnowledge?) {
        guard let knowledge else { return }
        if let problem = knowledge.unavailable {
            answer.notices.append(.knowledgeUnavailable(reason: problem))
        } else if knowledge.isEmpty {
            answer.notices.append(.noKnowledge)
        }
        answer.diagnosis = DiagnosisSection(procedures: knowledge.shown, knownSolutions: knowledge.solutions)
        answer.owner = owner(from: knowledge.ownerEntries)
        for entry in knowledge.pertinentEntries {
            for link in entry.links where !answer.links.contains(where: { $0.url == link }) {
                answer.links.append(AnswerLink(title: entry.title, url: link))
            }
        }
        for entry in knowledge.shown.map(\.entry) {
            answer.sources.append(SourceRef(kind: .knowledge, id: entry.key, title: entry.title))
        }
        for memory in knowledge.solutions {
            answer.sources.append(SourceRef(kind: .memory, id: memory.id, title: String(memory.text.prefix(80))))
        }
    }

    private func owner(from entries: [KnowledgeEntry]) -> OwnerSection? {
        if let owner = entries.compactMap(\.owner).first {
            let contacts = entries.filter { $0.owner == owner }.compactMap(\.contact)
            return OwnerSection(owner: owner, contacts: unique(contacts))
        }
        guard let contact = entries.compactMap(\.contact).first else { return nil }
        return OwnerSection(owner: contact, contacts: unique(entries.compactMap(\.contact)))
    }

    private func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
