import Foundation
import ResyncCore

/// A one-job plan with a fixed read latency: the benchmark measures the agent and HTTP path, not a plan.
struct BenchScheduler: SchedulerAPI {
    let latency: Duration

    static let job = Job(
        id: "bench-payroll", name: "PAYROLL_FINAL", workstation: "AGT_01", jobStreamName: "FINANCE_DAILY",
        commonStatus: .successful, internalStatus: .succ,
        runs: [JobRun(id: "bench-run", commonStatus: .successful, internalStatus: .succ, returnCode: 0)])

    func wait() async throws {
        if latency > .zero { try await Task.sleep(for: latency) }
    }

    func jobs(matching filter: JobFilter) async throws -> [Job] {
        try await wait()
        return filter.name.map { $0.uppercased() == Self.job.name } ?? true ? [Self.job] : []
    }

    func job(id: String) async throws -> Job {
        try await wait()
        guard id == Self.job.id else { throw SchedulerError.notFound("job \(id)") }
        return Self.job
    }

    func jobStreams(named name: String, limit: Int) async throws -> [JobStream] {
        try await wait()
        return []
    }

    func workstations() async throws -> [Workstation] {
        try await wait()
        return [Workstation(id: "ws", name: "AGT_01", linked: true, running: true)]
    }

    func engineInfo() async throws -> EngineInfo {
        try await wait()
        return EngineInfo(version: "10.2.5")
    }

    func jobCounts() async throws -> [CommonStatus: Int] {
        try await wait()
        return [.successful: 1]
    }

    func jobLog(runID: String, tail: Int) async throws -> JobLog {
        try await wait()
        return JobLog(runID: runID, lines: ["done"], truncated: false)
    }
}

/// A one-entry knowledge base with a fixed latency.
struct BenchKnowledge: KnowledgeStore {
    let latency: Duration

    static let entry = KnowledgeEntry(
        key: "bench", jobPattern: "PAYROLL_*", title: "Payroll runbook", procedure: "Check the DB lock.",
        owner: "Payroll team", source: KnowledgeSource(file: "bench"))

    func search(_ query: KnowledgeQuery) async throws -> [KnowledgeMatch] {
        if latency > .zero { try await Task.sleep(for: latency) }
        return [KnowledgeMatch(entry: Self.entry, score: 1, reasons: [.jobPattern("PAYROLL_*")])]
    }

    func replaceAll(with entries: [KnowledgeEntry], importErrors: Int) async throws -> KnowledgeReplaceOutcome {
        throw BenchPortError.readOnly
    }

    func entry(key: String) async throws -> KnowledgeEntry? { key == Self.entry.key ? Self.entry : nil }

    func stats() async throws -> KnowledgeStats { KnowledgeStats(entries: 1) }
}

/// The benchmark's stores are fixed; the agent never writes, so a write here is a bug worth an error.
enum BenchPortError: Error, CustomStringConvertible {
    case readOnly

    var description: String { "the benchmark's stores are read-only" }
}

/// An empty memory with a fixed latency on the one read the agent makes.
struct BenchMemories: MemoryStore {
    let latency: Duration

    func knownSolutions(jobName: String, errorSignature: String?, limit: Int) async throws -> [Memory] {
        if latency > .zero { try await Task.sleep(for: latency) }
        return []
    }

    func record(_ memory: Memory) async throws { throw BenchPortError.readOnly }
    func memory(id: String) async throws -> Memory? { nil }
    func list(_ filter: MemoryFilter) async throws -> [Memory] { [] }
    func setStatus(id: String, to status: MemoryStatus, actor: String, reason: String) async throws {
        throw BenchPortError.readOnly
    }
    func updateText(id: String, text: String, actor: String, reason: String) async throws {
        throw BenchPortError.readOnly
    }
    func applyFeedback(memoryID: String, _ feedback: Feedback) async throws { throw BenchPortError.readOnly }
    func setAuditorScore(id: String, score: Double, reason: String) async throws { throw BenchPortError.readOnly }
    func auditLog(memoryID: String) async throws -> [AuditLogEntry] { [] }
}
