import Foundation
import ResyncCore

/// What the team knows about a question, read from the knowledge base and memory concurrently.
public struct TeamKnowledge: Sendable, Hashable {
    public var procedures: [KnowledgeMatch] = []
    public var solutions: [Memory] = []
    /// Why the knowledge base could not be read, when it could not.
    public var unavailable: String?

    public init(procedures: [KnowledgeMatch] = [], solutions: [Memory] = [], unavailable: String? = nil) {
        self.procedures = procedures
        self.solutions = solutions
        self.unavailable = unavailable
    }

    public var isEmpty: Bool { procedures.isEmpty && solutions.isEmpty }
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
        var result = TeamKnowledge()
        switch procedureResult {
        case .success(let matches): result.procedures = matches
        case .failure(let error): result.unavailable = "\(error)"
        }
        result.solutions = (try? solutionResult.get()) ?? []
        return result
    }

    /// Known solutions from memory for a job (and error), best first.
    public func solutions(jobName: String, errorCode: String?, limit: Int = 3) async throws -> [Memory] {
        try await memories.knownSolutions(jobName: Self.bareJobName(jobName), errorSignature: errorCode, limit: limit)
    }

    /// `WS#STREAM.JOB` and `/FOLDER/JOB` name the job `JOB` in the knowledge base and memory.
    static func bareJobName(_ name: String) -> String {
        var bare = name
        if let hash = bare.firstIndex(of: "#") {
            bare = String(bare[bare.index(after: hash)...])
            if let dot = bare.lastIndex(of: ".") { bare = String(bare[bare.index(after: dot)...]) }
        }
        if bare.contains("/") { bare = String(bare.split(separator: "/").last ?? Substring(bare)) }
        return bare
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
