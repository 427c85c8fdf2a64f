import ResyncCore
import Synchronization

/// The plan as one conversation may see it: jobs, job streams and workstations the access scope does not
/// grant are left out of every read, so whatever is composed from them (headlines, counts, sources, an LLM's
/// summary) cannot mention them. It remembers whether it left something out, so the answer can say so.
final class ScopedScheduler: SchedulerAPI {
    let base: any SchedulerAPI
    let scope: AccessScope
    private let hidSomething = Atomic<Bool>(false)

    /// The most jobs read to count a restricted plan by status (the plan's own counts include hidden jobs).
    static let countingLimit = 5_000

    init(base: any SchedulerAPI, scope: AccessScope) {
        self.base = base
        self.scope = scope
    }

    /// True once any read left an object out.
    var leftSomethingOut: Bool { hidSomething.load(ordering: .relaxed) }

    func jobs(matching filter: JobFilter) async throws -> [Job] {
        visible(try await base.jobs(matching: filter), AccessObject.init(job:))
    }

    func job(id: String) async throws -> Job {
        let job = try await base.job(id: id)
        guard scope.allows(AccessObject(job: job)) else {
            hidSomething.store(true, ordering: .relaxed)
            throw SchedulerError.notFound("job \(id)")
        }
        return job
    }

    func jobStreams(named name: String, limit: Int) async throws -> [JobStream] {
        visible(try await base.jobStreams(named: name, limit: limit)) {
            AccessObject(jobStream: $0.name, workstation: $0.workstation)
        }
    }

    func workstations() async throws -> [Workstation] {
        let all = try await base.workstations()
        let shown = all.filter { scope.allowsWorkstation($0.name) }
        if shown.count != all.count { hidSomething.store(true, ordering: .relaxed) }
        return shown
    }

    func engineInfo() async throws -> EngineInfo {
        try await base.engineInfo()
    }

    /// Counted from the visible jobs: the plan's totals would reveal how many hidden jobs are in each state.
    func jobCounts() async throws -> [CommonStatus: Int] {
        let jobs = try await jobs(matching: JobFilter(limit: Self.countingLimit))
        return jobs.reduce(into: [:]) { counts, job in counts[job.commonStatus, default: 0] += 1 }
    }

    /// Reached only through a visible job's run.
    func jobLog(runID: String, tail: Int) async throws -> JobLog {
        try await base.jobLog(runID: runID, tail: tail)
    }

    private func visible<T>(_ objects: [T], _ object: (T) -> AccessObject) -> [T] {
        let shown = objects.filter { scope.allows(object($0)) }
        if shown.count != objects.count { hidSomething.store(true, ordering: .relaxed) }
        return shown
    }
}

/// The knowledge base as one conversation may see it: entries about jobs, streams or workstations it may not
/// see are left out of searches.
struct ScopedKnowledgeStore: KnowledgeStore {
    let base: any KnowledgeStore
    let scope: AccessScope

    func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] {
        try await base.search(query).filter {
            scope.allowsKnowledge(
                jobPattern: $0.entry.jobPattern, jobStream: $0.entry.jobStream, workstation: $0.entry.workstation)
        }
    }

    func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        try await base.replaceAll(with: entries, importErrors: importErrors)
    }

    func entry(key: String) async throws -> KnowledgeEntry? {
        guard let entry = try await base.entry(key: key),
            scope.allowsKnowledge(
                jobPattern: entry.jobPattern, jobStream: entry.jobStream, workstation: entry.workstation)
        else { return nil }
        return entry
    }

    func stats() async throws -> KnowledgeStats {
        try await base.stats()
    }
}
