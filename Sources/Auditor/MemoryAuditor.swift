import Foundation
import Logging
import Metrics
import ResyncCore

/// What the auditor decided about one memory.
public struct AuditFinding: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable { case keep, flag, softDelete = "soft_delete" }

    public var memoryID: String
    public var action: Action
    /// Quality estimate 0…1 (higher is better), saved with the memory.
    public var score: Double
    public var reasons: [String]
}

/// The outcome of one audit run.
public struct AuditReport: Hashable, Sendable {
    public var examined = 0
    public var flagged = 0
    public var softDeleted = 0
    public var skippedHumanDecided = 0
    public var judgeFailures = 0
    public var findings: [AuditFinding] = []

    public init() {}
}

/// Scores memories and flags or retires the bad ones. Never touches a memory a human approved or
/// rejected; every action goes through the memory store, which writes it to the audit log with the
/// reason and evidence, and can be undone from the review page.
public struct MemoryAuditor: Sendable {
    let memories: any MemoryStore
    let scheduler: (any SchedulerAPI)?
    let judge: (any MemoryJudge)?
    let policy: AuditPolicy
    let clock: any TimeSource
    let logger: Logger

    public static let actor = "auditor"

    public init(
        memories: any MemoryStore, scheduler: (any SchedulerAPI)?, judge: (any MemoryJudge)?,
        policy: AuditPolicy = AuditPolicy(), clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) {
        self.memories = memories
        self.scheduler = scheduler
        self.judge = judge
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    /// Examines every active or flagged memory once.
    public func run() async throws -> AuditReport {
        let candidates = try await memories.list(
            MemoryFilter(statuses: [.active, .flagged], limit: policy.maximumMemoriesPerRun))
        var report = AuditReport()
        let contradictions = ContradictionFinder(threshold: policy.contradictionSimilarity).find(in: candidates)
        var knownJobs = KnownJobsCache(scheduler: scheduler)
        for memory in candidates {
            // Re-read: a reviewer may have decided while this run was going.
            guard let current = try await memories.memory(id: memory.id) else { continue }
            guard current.status == .active || current.status == .flagged else {
                report.skippedHumanDecided += 1
                continue
            }
            report.examined += 1
            var evidence = Evidence(memory: current, now: clock.now(), policy: policy)
            if let rival = contradictions[current.id] {
                evidence.contradicts = rival
            }
            if current.kind == .knownSolution, let job = current.jobName {
                evidence.jobMissingFromPlan = await knownJobs.isMissing(job)
            }
            if let judge {
                do {
                    evidence.verdict = try await judge.judge(current, evidence: evidence.lines)
                } catch {
                    report.judgeFailures += 1
                    Self.judgeFailures.increment()
                    logger.warning("auditor judge failed; using deterministic signals", metadata: ["error": "\(error)"])
                }
            }
            let finding = evidence.finding()
            try await apply(finding, to: current)
            switch finding.action {
            case .flag: report.flagged += 1
            case .softDelete: report.softDeleted += 1
            case .keep: break
            }
            report.findings.append(finding)
        }
        Self.runs.increment()
        logger.info(
            "audit run finished",
            metadata: [
                "examined": "\(report.examined)", "flagged": "\(report.flagged)",
                "soft_deleted": "\(report.softDeleted)", "judge_failures": "\(report.judgeFailures)",
            ])
        return report
    }

    func apply(_ finding: AuditFinding, to memory: Memory) async throws {
        let reason = finding.reasons.joined(separator: "; ")
        try await memories.setAuditorScore(id: memory.id, score: finding.score, reason: reason)
        switch finding.action {
        case .softDelete where memory.status != .deleted:
            try await memories.setStatus(id: memory.id, to: .deleted, actor: Self.actor, reason: reason)
            Self.actions(.softDelete).increment()
        case .flag where memory.status == .active:
            try await memories.setStatus(id: memory.id, to: .flagged, actor: Self.actor, reason: reason)
            Self.actions(.flag).increment()
        default:
            break
        }
    }

    static let runs = Counter(label: "resync_auditor_runs_total")
    static let judgeFailures = Counter(label: "resync_auditor_judge_failures_total")
    static func actions(_ action: AuditFinding.Action) -> Counter {
        Counter(label: "resync_auditor_actions_total", dimensions: [("action", action.rawValue)])
    }
}

/// Everything known about one memory during a run, and the decision it leads to.
struct Evidence {
    let memory: Memory
    let now: Date
    let policy: AuditPolicy
    var contradicts: String?
    var jobMissingFromPlan = false
    var verdict: JudgeVerdict?

    var isStronglyNegative: Bool {
        memory.feedback.negative >= policy.negativeFeedbackMinimum
            && memory.feedback.balance <= policy.negativeBalanceThreshold
    }

    var ageDays: Int { Int(now.timeIntervalSince(memory.createdAt) / 86_400) }

    /// Human-readable evidence, given to the judge and written to the audit log.
    var lines: [String] {
        var lines = ["feedback +\(memory.feedback.positive)/-\(memory.feedback.negative)", "age \(ageDays) days"]
        if jobMissingFromPlan, let job = memory.jobName { lines.append("job \(job) is no longer in the plan") }
        if let contradicts { lines.append("disagrees with known solution \(contradicts)") }
        return lines
    }

    func finding() -> AuditFinding {
        var reasons: [String] = []
        var action = AuditFinding.Action.keep
        if let verdict, verdict.isIncorrect {
            if verdict.confidence >= policy.softDeleteConfidence {
                action = .softDelete
            } else if verdict.confidence >= policy.flagConfidence {
                action = .flag
            }
            reasons.append("judge: incorrect (confidence \(Self.format(verdict.confidence))): \(verdict.reason)")
        }
        if isStronglyNegative {
            reasons.append("negative feedback +\(memory.feedback.positive)/-\(memory.feedback.negative)")
            if action == .keep { action = .flag }
        }
        if jobMissingFromPlan, let job = memory.jobName {
            reasons.append("job \(job) is no longer in the plan")
            if action == .keep { action = .flag }
        }
        if let contradicts {
            reasons.append("disagrees with known solution \(contradicts)")
            if action == .keep { action = .flag }
        }
        if reasons.isEmpty { reasons.append("no problem found") }
        return AuditFinding(memoryID: memory.id, action: action, score: score(), reasons: reasons)
    }

    /// 0…1: starts neutral, moves with feedback, decays with age without praise, drops on bad evidence.
    func score() -> Double {
        var score = 0.5 + 0.1 * Double(memory.feedback.balance)
        if ageDays > policy.staleAgeDays && memory.feedback.positive == 0 { score -= 0.1 }
        if jobMissingFromPlan { score -= 0.2 }
        if contradicts != nil { score -= 0.1 }
        if let verdict {
            score =
                verdict.isIncorrect ? min(score, 1 - verdict.confidence) : max(score, 0.5 * verdict.confidence + 0.25)
        }
        return min(1, max(0, score))
    }

    static func format(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
