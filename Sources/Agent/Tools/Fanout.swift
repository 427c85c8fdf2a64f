import Foundation
import ResyncCore

/// What the scheduler side of a plan read.
struct LiveFacts: Sendable {
    var jobs: [Job] = []
    var streams: [JobStream] = []
    var log: JobLog?
    var health: HealthSummary?
    /// Close names when the job asked about is not in the plan.
    var suggestions: [String] = []
    /// True when the jobs shown come from the last good read, not from HWA now.
    var stale = false
    /// What the team knows about a failed job's error, looked up once its return code was read.
    var failureKnowledge: TeamKnowledge?
}

/// The two halves of a plan, started together: answer time is the slower of the two, never their sum.
enum Fanout {
    enum Part: Sendable {
        case live(Result<LiveFacts, SchedulerFailure>)
        case knowledge(TeamKnowledge)
    }

    struct SchedulerFailure: Error, Sendable {
        var reason: String
    }

    static func run(
        deadline: Duration,
        live: (@Sendable () async throws -> LiveFacts)?,
        knowledge: (@Sendable () async -> TeamKnowledge)?
    ) async -> (live: Result<LiveFacts, SchedulerFailure>?, knowledge: TeamKnowledge?) {
        await withTaskGroup(of: Part.self) { group in
            if let live {
                group.addTask {
                    do {
                        return .live(.success(try await withDeadline(deadline) { try await live() }))
                    } catch let error as DeadlineExceeded {
                        return .live(.failure(SchedulerFailure(reason: "HWA unreachable: \(error)")))
                    } catch {
                        return .live(.failure(SchedulerFailure(reason: Self.reason(error))))
                    }
                }
            }
            if let knowledge {
                group.addTask {
                    do {
                        return .knowledge(try await withDeadline(deadline) { await knowledge() })
                    } catch {
                        return .knowledge(TeamKnowledge(unavailable: "knowledge base: \(error)"))
                    }
                }
            }
            var liveResult: Result<LiveFacts, SchedulerFailure>?
            var knowledgeResult: TeamKnowledge?
            for await part in group {
                switch part {
                case .live(let result): liveResult = result
                case .knowledge(let result): knowledgeResult = result
                }
            }
            return (liveResult, knowledgeResult)
        }
    }

    /// A message safe to show: scheduler errors are written for users; anything else is named only.
    static func reason(_ error: any Error) -> String {
        if let error = error as? SchedulerError { return error.description }
        if error is CancellationError { return "HWA unreachable: the request was cancelled" }
        return "HWA unreachable: \(String(describing: type(of: error)))"
    }
}
