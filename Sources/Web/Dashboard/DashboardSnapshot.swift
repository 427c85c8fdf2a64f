import Foundation
import ResyncCore

/// Everything the dashboard shows, collected from the ports at one moment. Each section says when its data
/// was last read successfully, so stale data is shown as stale rather than as current.
public struct DashboardSnapshot: Sendable, Hashable, Codable {
    public struct Engine: Sendable, Hashable, Codable {
        public var reachable: Bool
        public var info: EngineInfo?
        /// The HWA client's circuit breaker ("closed", "open", "half-open") when the client reports it.
        public var breakerState: String?
        /// Why the last poll failed, already free of secrets (SchedulerError descriptions are).
        public var problem: String?
        public var lastSuccessfulPoll: Date?
    }

    public struct StatusCount: Sendable, Hashable, Codable {
        public var status: String
        public var count: Int
    }

    public struct Failure: Sendable, Hashable, Codable {
        public var jobName: String
        public var qualifiedName: String
        public var workstation: String
        public var jobStream: String
        /// The status, return code and end (or start) of the run that failed in the window.
        public var status: String
        public var returnCode: Int?
        public var endedAt: Date?
        /// When a later run succeeded: the job failed in the window and a rerun recovered it.
        public var recoveredAt: Date?
    }

    public struct BotActivity: Sendable, Hashable, Codable {
        public var questionsByPlatform: [String: Int]
        public var latencyP50Milliseconds: Double?
        public var latencyP95Milliseconds: Double?
        public var positiveFeedback: Int
        public var negativeFeedback: Int

        public static let empty = BotActivity(
            questionsByPlatform: [:], latencyP50Milliseconds: nil, latencyP95Milliseconds: nil, positiveFeedback: 0,
            negativeFeedback: 0)
    }

    public struct Knowledge: Sendable, Hashable, Codable {
        public var stats: KnowledgeStats?
        public var problem: String?
    }

    public var generatedAt: Date
    public var engine: Engine
    public var workstations: [Workstation]
    public var statusCounts: [StatusCount]
    /// Failures in the window, newest first.
    public var failures: [Failure]
    /// How far back `failures` looks.
    public var failureWindowHours: Int
    public var alerts: [AlertActivity]
    public var bot: BotActivity
    public var knowledge: Knowledge

    /// The state before the first poll finishes.
    public static func initial(at date: Date, failureWindowHours: Int) -> DashboardSnapshot {
        DashboardSnapshot(
            generatedAt: date,
            engine: Engine(
                reachable: false, info: nil, breakerState: nil, problem: "waiting for the first poll",
                lastSuccessfulPoll: nil),
            workstations: [], statusCounts: [], failures: [], failureWindowHours: failureWindowHours, alerts: [],
            bot: .empty, knowledge: Knowledge(stats: nil, problem: nil))
    }
}
