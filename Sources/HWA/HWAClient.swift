import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// The read-only HWA REST API V2 client. Every call is a `GET` through `ReadOnlyGate`, bounded by a timeout,
/// retried within limits, guarded by a circuit breaker and, for repeated identical questions, answered from a
/// short-lived cache shared by concurrent callers.
///
/// Run it as a `Service` (its `run()` waits for shutdown and then closes its connections), or call
/// `shutdown()` yourself when it is not in a ServiceGroup.
public final class HWAClient: SchedulerAPI, Service {
    let configuration: HWAClientConfiguration
    let transport: HWATransport
    let cache: ResponseCache
    let logger: Logger
    private let shutdownOnce = OnceFlag()

    public init(
        configuration: HWAClientConfiguration, timeSource: any TimeSource = SystemTimeSource(),
        logger: Logger = Logger(label: "resync.hwa"),
        jitter: @escaping @Sendable (Double) -> Double = { ceiling in Double.random(in: 0...max(ceiling, 0)) }
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.transport = try HWATransport(
            configuration: configuration, timeSource: timeSource, logger: logger, jitter: jitter)
        self.cache = ResponseCache(timeSource: timeSource)
    }

    // MARK: - Lifecycle

    /// Probes the engine once (logging its version and time zone, or why it cannot be used), then holds the
    /// connection pool open until the service group shuts down.
    public func run() async throws {
        do {
            try await probe()
        } catch is CancellationError {
        } catch {
            logger.error("HWA engine probe failed", metadata: ["error": "\(error)"])
        }
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Closes the connection pool. Safe to call more than once.
    public func shutdown() async throws {
        if shutdownOnce.claim() { try await transport.shutdown() }
    }

    /// The circuit breaker's state, for `/readyz` and dashboards.
    public func breakerState() async -> HWABreakerState {
        await transport.breaker.state
    }

    /// Reads the engine version and time zone and logs them; throws `unsupportedVersion` on a V1-only master.
    @discardableResult
    public func probe() async throws -> EngineInfo {
        let info = try await engineInfo()
        logger.info(
            "connected to HWA", metadata: ["version": "\(info.version)", "time_zone": "\(info.timeZone ?? "unknown")"])
        return info
    }

    /// For `/readyz`: fails while the breaker is open, or when engine info cannot be read.
    public func checkReadiness() async throws {
        let state = await breakerState()
        if state == .open {
            throw SchedulerError.circuitOpen(retryAfterSeconds: configuration.breaker.coolDown.inSeconds)
        }
        _ = try await engineInfo()
    }

    // MARK: - SchedulerAPI

    public func jobs(matching filter: JobFilter) async throws -> [Job] {
        try await measured("jobs") {
            let oql = try OQLBuilder.jobs(filter)
            let ttl = filter.bypassCache ? Duration.zero : configuration.cacheTTLs.jobs
            let key = "jobs|\(oql ?? "")|\(filter.limit)"
            let jobs: [Job] = try await cached("jobs", key: key, ttl: ttl) {
                let wire: [JobInPlanV2] = try await self.paged(
                    operation: "jobs", path: "/api/v2/plan/job", query: oql.map { [("oql", $0)] } ?? [],
                    limit: filter.limit)
                return try wire.map { try $0.domain() }
            }
            return Array(jobs.filter { Self.matches($0, filter) }.prefix(max(filter.limit, 0)))
        }
    }

    public func job(id: String) async throws -> Job {
        try await measured("job") {
            try Self.checkID(id, kind: "job")
            do {
                let data = try await transport.get(operation: "job", path: "/api/v2/plan/job/\(id)", query: [])
                return try Self.decode(JobInPlanV2.self, from: data).domain()
            } catch SchedulerError.notFound {
                throw SchedulerError.notFound("job with id \(id)")
            }
        }
    }

    public func jobStreams(named name: String, limit: Int) async throws -> [JobStream] {
        try await measured("job_streams") {
            let oql = try OQLBuilder.named(name)
            return try await cached("job_streams", key: "js|\(oql)|\(limit)", ttl: configuration.cacheTTLs.jobStreams) {
                let wire: [JobStreamInPlanV2] = try await self.paged(
                    operation: "job_streams", path: "/api/v2/plan/jobstream", query: [("oql", oql)], limit: limit)
                return try wire.map { try $0.domain() }
            }
        }
    }

    public func workstations() async throws -> [Workstation] {
        try await measured("workstations") {
            try await cached("workstations", key: "ws", ttl: configuration.cacheTTLs.workstations) {
                let wire: [WorkstationInPlanV2] = try await self.paged(
                    operation: "workstations", path: "/api/v2/plan/workstation", query: [],
                    limit: self.configuration.pageSize * self.configuration.maxPages)
                return try wire.map { try $0.domain() }
            }
        }
    }

    public func engineInfo() async throws -> EngineInfo {
        try await measured("engine_info") {
            try await cached("engine_info", key: "engine", ttl: configuration.cacheTTLs.engineInfo) {
                do {
                    let data = try await self.transport.get(
                        operation: "engine_info", path: "/api/v2/engine/info", query: [])
                    return try Self.decode(EngineInfoV2.self, from: data).domain()
                } catch SchedulerError.notFound {
                    throw SchedulerError.unsupportedVersion(
                        "the master has no REST API V2 (GET /twsd/api/v2/engine/info answered 404); it probably runs "
                            + "HWA 9.5, which offers only the V1 API. Resync needs HWA 10.1 Fix Pack 1 or later")
                }
            }
        }
    }

    public func jobCounts() async throws -> [CommonStatus: Int] {
        try await measured("job_counts") {
            try await cached("job_counts", key: "counts", ttl: configuration.cacheTTLs.jobCounts) {
                let data = try await self.transport.get(
                    operation: "job_counts", path: "/api/v2/plan/job/count",
                    query: [("plan_filter", "/@/@#/@/@.@"), ("grouping_filters", "status")])
                let response = try Self.decode(GroupedCountResponse.self, from: data)
                var counts: [CommonStatus: Int] = [:]
                for (status, count) in response.groupedCount {
                    counts[CommonStatus(status), default: 0] += count
                }
                return counts
            }
        }
    }

    public func jobLog(runID: String, tail: Int) async throws -> JobLog {
        try await measured("job_log") {
            try Self.checkID(runID, kind: "run")
            let tail = min(max(tail, 1), 5_000)
            return try await cached("job_log", key: "log|\(runID)|\(tail)", ttl: configuration.cacheTTLs.jobLogs) {
                do {
                    return try await self.fetchLogTail(runID: runID, tail: tail)
                } catch SchedulerError.notFound {
                    throw SchedulerError.notFound("job run \(runID) (no log)")
                }
            }
        }
    }
}
