import Foundation
import ResyncCore

/// Why the LLM path gave up; every case falls back to the deterministic answer.
enum LLMLoopError: Error, Sendable, CustomStringConvertible {
    case llm(LLMError)
    case timedOut
    case unknownTool(String)
    case badArguments(tool: String, detail: String)
    case iterationsExhausted(Int)
    case tokenBudgetExceeded(Int)
    case emptyReply

    var description: String {
        switch self {
        case .llm(let error): error.description
        case .timedOut: "the LLM did not finish in time"
        case .unknownTool(let name): "the LLM asked for a tool that does not exist (\(name.prefix(60)))"
        case .badArguments(let tool, let detail): "the LLM sent invalid arguments to \(tool): \(detail)"
        case .iterationsExhausted(let count): "the LLM did not finish within \(count) tool rounds"
        case .tokenBudgetExceeded(let budget): "the LLM used more than its budget of \(budget) tokens"
        case .emptyReply: "the LLM sent an empty reply"
        }
    }

    /// A bounded label for the fallback metric.
    var metricReason: String {
        switch self {
        case .llm(.timedOut), .timedOut: "timeout"
        case .llm(.http): "http"
        case .llm(.malformedResponse), .emptyReply: "malformed"
        case .llm(.transport), .llm(.notConfigured): "transport"
        case .unknownTool: "unknown_tool"
        case .badArguments: "bad_arguments"
        case .iterationsExhausted: "iterations"
        case .tokenBudgetExceeded: "token_budget"
        }
    }
}

/// Facts the LLM's tool calls read, kept so the answer's live status comes from tool results.
actor ToolLedger {
    private(set) var jobs: [Job] = []
    private(set) var health: HealthSummary?
    private(set) var streams: [JobStream] = []
    private(set) var readAt: Date?

    func record(jobs newJobs: [Job], at date: Date) {
        for job in newJobs where !jobs.contains(where: { $0.id == job.id }) { jobs.append(job) }
        readAt = date
    }

    func record(health summary: HealthSummary, at date: Date) {
        health = summary
        readAt = date
    }

    func record(streams newStreams: [JobStream], at date: Date) {
        streams.append(contentsOf: newStreams)
        readAt = date
    }
}

/// The read-only tools offered to the model, and their execution. There is no tool that writes.
struct AgentToolbox: Sendable {
    let scheduler: SchedulerTools
    let knowledge: KnowledgeTools
    let configuration: AgentConfiguration
    let ledger: ToolLedger
    let time: any TimeSource

    static let definitions: [LLMTool] = [
        nameTool("get_job_status", "Current status of jobs in the HWA plan by name (wildcards * allowed)."),
        LLMTool(
            name: "list_failed_jobs",
            description:
                "Jobs with a run that failed in the last N hours, including jobs a rerun has since recovered "
                + "(failedAt, failedReturnCode and recoveredAt say when).",
            parametersJSONSchema:
                #"{"type":"object","properties":{"since_hours":{"type":"number","minimum":0,"maximum":720},"job_stream":{"type":"string"}}}"#
        ),
        LLMTool(
            name: "get_health_summary",
            description:
                "Engine version, workstations not linked or not running, job counts by status, recent failures.",
            parametersJSONSchema: #"{"type":"object","properties":{}}"#),
        nameTool("get_job_stream_status", "Status of a job stream and its failed jobs."),
        LLMTool(
            name: "get_job_log", description: "The redacted tail of the last run's log of one job.",
            parametersJSONSchema:
                #"{"type":"object","properties":{"name":{"type":"string"},"lines":{"type":"integer","minimum":1,"maximum":200}},"required":["name"]}"#
        ),
        nameTool("get_job_dependencies", "A job's dependencies and whether each is satisfied."),
        LLMTool(
            name: "search_knowledge",
            description:
                "Search the team's knowledge base (procedures, owners, runbooks) by job, error code or text. For a failed job, pass the return code of its last run as error_code (RC=12). Each entry says what it may be used for.",
            parametersJSONSchema:
                #"{"type":"object","properties":{"text":{"type":"string"},"job_name":{"type":"string"},"error_code":{"type":"string"}}}"#
        ),
        LLMTool(
            name: "get_known_solutions", description: "Known solutions from past incidents for a job.",
            parametersJSONSchema:
                #"{"type":"object","properties":{"job_name":{"type":"string"},"error_code":{"type":"string"}},"required":["job_name"]}"#
        ),
    ]

    static func nameTool(_ name: String, _ description: String) -> LLMTool {
        LLMTool(
            name: name, description: description,
            parametersJSONSchema: #"{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}"#)
    }

    struct Arguments: Decodable {
        var name: String?
        var lines: Int?
        var since_hours: Double?
        var job_stream: String?
        var text: String?
        var job_name: String?
        var error_code: String?
    }

    /// Runs one call and returns its result as JSON text (data for the model, never instructions).
    func execute(_ call: LLMToolCall) async throws(LLMLoopError) -> String {
        guard Self.definitions.contains(where: { $0.name == call.name }) else { throw .unknownTool(call.name) }
        let raw = call.arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        let arguments: Arguments
        do {
            arguments = try JSONDecoder().decode(Arguments.self, from: Data((raw.isEmpty ? "{}" : raw).utf8))
        } catch {
            throw .badArguments(tool: call.name, detail: "not a JSON object of the declared fields")
        }
        do {
            return try await run(call.name, arguments)
        } catch let error as LLMLoopError {
            throw error
        } catch {
            // A read that failed is a fact the model may report ("HWA unreachable"), not a loop failure.
            return Self.encode(["error": Fanout.reason(error)])
        }
    }

    private func run(_ tool: String, _ arguments: Arguments) async throws -> String {
        let now = time.now()
        switch tool {
        case "get_job_status":
            let jobs = try await scheduler.findJobs(named: try Self.name(arguments.name, tool), limit: 10)
            await ledger.record(jobs: jobs, at: now)
            return Self.encode(jobs.map(ToolJob.init))
        case "list_failed_jobs":
            let hours = arguments.since_hours ?? configuration.defaultFailureWindow.inSeconds / 3_600
            guard hours > 0, hours <= 720 else {
                throw LLMLoopError.badArguments(tool: tool, detail: "since_hours out of range")
            }
            let jobs = try await scheduler.failures(
                since: now.addingTimeInterval(-hours * 3_600), jobStream: arguments.job_stream)
            await ledger.record(jobs: Array(jobs.prefix(configuration.maxListedJobs)), at: now)
            return Self.encode(jobs.prefix(configuration.maxListedJobs).map(ToolJob.init))
        case "get_health_summary":
            let health = try await scheduler.healthSummary(
                failuresSince: now.addingTimeInterval(-configuration.defaultFailureWindow.inSeconds))
            await ledger.record(health: health, at: now)
            return Self.encode(health)
        case "get_job_stream_status":
            let (streams, jobs) = try await scheduler.jobStreamStatus(named: try Self.name(arguments.name, tool))
            await ledger.record(streams: streams, at: now)
            return Self.encode([
                "streams": streams.map { "\($0.name) \($0.commonStatus)" },
                "failedJobs": jobs.filter(\.isFailed).map(\.qualifiedName),
            ])
        case "get_job_log":
            let lines = arguments.lines ?? configuration.logTailLines
            guard (1...configuration.maxLogLines).contains(lines) else {
                throw LLMLoopError.badArguments(tool: tool, detail: "lines out of range")
            }
            let jobs = try await scheduler.findJobs(named: try Self.name(arguments.name, tool), limit: 2)
            guard jobs.count == 1 else { return Self.encode(["error": "\(jobs.count) jobs match; ask for one"]) }
            await ledger.record(jobs: jobs, at: now)
            return Self.encode(try await scheduler.redactedLog(of: jobs[0], lines: lines)?.lines ?? [])
        case "get_job_dependencies":
            let jobs = try await scheduler.findJobs(named: try Self.name(arguments.name, tool), limit: 2)
            guard jobs.count == 1 else { return Self.encode(["error": "\(jobs.count) jobs match; ask for one"]) }
            let job = try await scheduler.withDependencies(jobs[0])
            await ledger.record(jobs: [job], at: now)
            return Self.encode(job.dependencies)
        case "search_knowledge":
            let query = KnowledgeQuery(
                jobName: try arguments.job_name.map { try Self.name($0, tool) },
                errorCodes: arguments.error_code.map { [$0] } ?? [],
                text: arguments.text.map { String($0.prefix(500)) }, limit: configuration.knowledgeLimit)
            let team = await knowledge.lookup(query, includeSolutions: false)
            if let problem = team.unavailable { return Self.encode(["error": problem]) }
            // The same rule as the deterministic answer: only entries about the question, each with its use.
            return Self.encode(team.assessed.map { ToolKnowledgeEntry(entry: $0.match.entry, use: $0.use) })
        default:
            let job = try Self.name(arguments.job_name, tool)
            let solutions = try await knowledge.solutions(jobName: job, errorCode: arguments.error_code)
            return Self.encode(solutions.map(\.text))
        }
    }

    /// A job or stream name as the model wrote it, refused when it could not be a name.
    static func name(_ value: String?, _ tool: String) throws(LLMLoopError) -> String {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty, value.count <= 200,
            value.allSatisfy({ $0.isLetter || $0.isNumber || "_-*@?/#.".contains($0) })
        else { throw .badArguments(tool: tool, detail: "missing or invalid name") }
        return value.uppercased()
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(["data": value])).map { String(decoding: $0, as: UTF8.self) } ?? #"{"data":null}"#
    }
}

/// A job as the model sees it: the facts an operator asks about, nothing more.
struct ToolJob: Encodable {
    var job: String
    var status: String
    var internalStatus: String?
    var returnCode: Int?
    var start: Date?
    var end: Date?
    /// For a job no longer failed, its last failure (its status above is the rerun's) and the recovering rerun.
    var failedAt: Date?
    var failedReturnCode: Int?
    var recoveredAt: Date?

    init(_ job: Job) {
        self.job = job.qualifiedName
        status = (job.lastRun?.commonStatus ?? job.commonStatus).rawValue
        internalStatus = (job.lastRun?.internalStatus ?? job.internalStatus)?.rawValue
        returnCode = job.lastRun?.returnCode
        start = job.lastRun?.startTime
        end = job.lastRun?.endTime
        if !job.isFailed, let failed = job.lastFailedRun {
            failedAt = failed.lastActivity
            failedReturnCode = failed.returnCode
            recoveredAt = job.recoveryRun?.lastActivity
        }
    }
}

/// A knowledge entry as the model sees it, with what it may be used for, so the model follows the same rule
/// as the deterministic answer: another error's procedure is not the fix, another job's owner not the owner.
struct ToolKnowledgeEntry: Encodable {
    var entry: KnowledgeEntry
    var use: String

    init(entry: KnowledgeEntry, use: KnowledgeUse) {
        self.entry = entry
        self.use = Self.describe(use)
    }

    static func describe(_ use: KnowledgeUse) -> String {
        switch use {
        case .aboutSubject: "about what was asked: its procedure and owner apply"
        case .aboutError:
            "general know-how about the error asked: its procedure applies; its owner is not the job's owner"
        case .aboutOtherError:
            "about this job but written for another error: its owner is the job's owner; its procedure does not fix this error"
        case .related: "about another job: possibly related only; neither its procedure nor its owner applies"
        case .unrelated: "unrelated"
        }
    }
}
