import Foundation
import ResyncCore

/// What the team knows about a question, read from the knowledge base and memory concurrently.
///
/// `matches` is what the search returned; `subject` says which of them may speak for the question. Only
/// `shown` reaches the answer, and only entries about the subject name the owner or give the next step.
public struct TeamKnowledge: Sendable, Hashable {
    /// The knowledge base's results, best first as it ranked them.
    public var matches: [KnowledgeMatch] = []
    public var solutions: [Memory] = []
    /// Why the knowledge base could not be read, when it could not.
    public var unavailable: String?
    /// What the question is about. A failed job's return code joins it once the job has been read.
    public var subject = KnowledgeSubject()

    public init(
        matches: [KnowledgeMatch] = [], solutions: [Memory] = [], unavailable: String? = nil,
        subject: KnowledgeSubject = KnowledgeSubject()
    ) {
        self.matches = matches
        self.solutions = solutions
        self.unavailable = unavailable
        self.subject = subject
    }

    /// The entries an answer lists, with what each may be used for: those about the subject first, then
    /// those written for another error, then other jobs' entries; entries sharing only words with a question
    /// about a job, job stream or error are left out. When none is about the subject, none is listed, so an
    /// answer never says "the knowledge base has nothing" above a list of entries.
    public var assessed: [(match: KnowledgeMatch, use: KnowledgeUse)] {
        let uses = matches.map { (match: $0, use: subject.use(of: $0)) }
        guard uses.contains(where: { $0.use.guides || $0.use.namesOwner }) else { return [] }
        // A stable sort: within one use, the knowledge base's ranking stands.
        return uses.enumerated().filter { $0.element.use != .unrelated }
            .sorted { ($0.element.use, $0.offset) < ($1.element.use, $1.offset) }.map(\.element)
    }

    /// The entries an answer lists, best first.
    public var shown: [KnowledgeMatch] { assessed.map(\.match) }

    /// The entry whose procedure is the next step: the best one about the subject and its error.
    public var guidance: KnowledgeEntry? { assessed.first { $0.use.guides }?.match.entry }

    /// The entries that may name the job's owner and contacts, best first.
    public var ownerEntries: [KnowledgeEntry] { assessed.filter { $0.use.namesOwner }.map(\.match.entry) }

    /// The entries about the subject or its error, best first: their runbook links are the answer's.
    public var pertinentEntries: [KnowledgeEntry] {
        assessed.filter { $0.use.guides || $0.use.namesOwner }.map(\.match.entry)
    }

    /// The known solution to offer: the best one not learnt from another error.
    public var knownSolution: Memory? {
        solutions.first { !subject.contradicts(KnowledgeSubject.codes(ofSignature: $0.errorSignature)) }
    }

    /// Nothing in the knowledge base or memory is about the question.
    public var isEmpty: Bool { shown.isEmpty && solutions.isEmpty }
}

/// Read-only lookups in the knowledge base and memory.
public struct KnowledgeTools: Sendable {
    public let knowledge: any KnowledgeStore
    public let memories: any MemoryStore

    public init(knowledge: any KnowledgeStore, memories: any MemoryStore) {
        self.knowledge = knowledge
        self.memories = memories
    }

    /// KB search and known solutions at the same time. A failing store is reported, not thrown.
    public func lookup(_ query: KnowledgeQuery, includeSolutions: Bool = true) async -> TeamKnowledge {
        async let procedures = SchedulerTools.capture { try await knowledge.search(query) }
        async let solutions = SchedulerTools.capture { () -> [Memory] in
            guard includeSolutions, let job = query.jobName else { return [] }
            return try await self.solutions(jobName: job, errorCode: query.errorCodes.first)
        }
        let (procedureResult, solutionResult) = await (procedures, solutions)
        var result = TeamKnowledge(subject: KnowledgeSubject(query: query))
        switch procedureResult {
        case .success(let matches): result.matches = matches
        case .failure(let error): result.unavailable = "\(error)"
        }
        result.solutions = (try? solutionResult.get()) ?? []
        return result
    }

    /// Known solutions from memory for a job (and error), best first.
    public func solutions(jobName: String, errorCode: String?, limit: Int = 3) async throws -> [Memory] {
        try await memories.knownSolutions(
            jobName: JobNamePattern.baseName(jobName), errorSignature: errorCode, limit: limit)
    }
}

/// The last time HWA answered, and the last jobs read per name, so an answer given while HWA is down can
/// say how old the status it shows is.
actor LastGoodReads {
    private var lastGood: Date?
    private var jobsByName: [String: [Job]] = [:]
    private let capacity = 256

    func recordSuccess(at date: Date) {
        lastGood = date
    }

    func record(jobs: [Job], for name: String, at date: Date) {
        lastGood = date
        if jobsByName.count >= capacity, jobsByName[name] == nil, let victim = jobsByName.keys.first {
            jobsByName[victim] = nil
        }
        jobsByName[name.uppercased()] = jobs
    }

    func lastGoodTime() -> Date? { lastGood }

    func jobs(for name: String) -> [Job]? { jobsByName[name.uppercased()] }
}
