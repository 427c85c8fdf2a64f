import ArgumentParser
import Foundation
import Logging
import Monitor
import ResyncCore
import Storage
import Synchronization

/// `resync-bench monitor`: poll cycle time and memory with a large plan, and alert lag with the service loop.
struct MonitorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Failure monitor: poll cycle time and memory with N jobs in the plan; alert lag p99.")

    @Option(help: "Jobs in the plan.") var jobs = 10_000
    @Option(help: "Jobs already failed in the plan at the first poll.") var failed = 1_000
    @Option(help: "Steady-state polls to time (each with a few new failures).") var polls = 20
    @Option(help: "Seconds to run the service loop for the lag measurement (interval 1 s).") var lagSeconds = 15

    func run() async throws {
        var logger = Logger(label: "bench.monitor")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try AppDatabase(
            location: .sqlite(path: folder.appendingPathComponent("bench.sqlite").path), logger: logger)
        try await database.migrate()

        let plan = BenchPlan(jobs: jobs, failed: failed, now: Date())
        let publisher = CountingPublisher(plan: plan)
        let monitor = try FailureMonitor(
            scheduler: plan, diagnoser: BenchDiagnoser(), publisher: publisher,
            store: SQLAlertStateStore(database: database),
            lease: SingleInstanceLease(),
            configuration: MonitorConfiguration(
                interval: .seconds(1), language: .english, rules: MonitorRules(storm: StormRule(threshold: 10)),
                defaultDestinations: [AlertDestination(platform: .slack, channel: "#ops")]),
            logger: logger)

        let clock = ContinuousClock()
        var report = PollReport()
        let first = try await clock.measure { report = try await monitor.pollOnce() }
        var steady: [Duration] = []
        for round in 0..<polls {
            plan.failMore(5, tag: "steady\(round)")
            steady.append(try await clock.measure { try await monitor.pollOnce() })
        }
        steady.sort()
        print(
            "| monitor poll | plan \(jobs) jobs, \(failed) failed | first poll (\(report.newFailures) new, \(report.digestsQueued) digest) | \(ms(first)) |"
        )
        print(
            "| monitor poll | plan \(jobs) jobs, steady, 5 new failures/poll | p50 / max of \(polls) | \(ms(steady[steady.count / 2])) / \(ms(steady.last ?? .zero)) |"
        )
        print("| monitor memory | after \(polls + 1) polls | peak RSS | \(peakRSS()) |")

        // Alert lag: the service loop at a 1 s interval while jobs fail at random instants.
        publisher.startLagMeasurement()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await monitor.run() }
            for second in 0..<lagSeconds {
                for index in 0..<3 {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 50...330)))
                    plan.failMore(1, tag: "lag\(second)-\(index)")
                }
            }
            try await Task.sleep(for: .seconds(2))
            group.cancelAll()
        }
        let lags = publisher.lags.sorted()
        let p99 = lags.isEmpty ? 0 : lags[min(lags.count - 1, Int(Double(lags.count) * 0.99))]
        print(String(format: "| monitor alert lag | interval 1 s, %d failures | p99 | %.2f s |", lags.count, p99))
    }

    func ms(_ duration: Duration) -> String {
        String(
            format: "%.1f ms",
            Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }

    func peakRSS() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return "n/a" }
        return line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces)
    }
}

/// A plan of N jobs in memory, filtered the way HWA filters (status sets, end time).
final class BenchPlan: SchedulerAPI {
    private let state: Mutex<(jobs: [Job], index: [String: Int])>

    init(jobs count: Int, failed: Int, now: Date) {
        var jobs: [Job] = []
        jobs.reserveCapacity(count)
        for number in 0..<count {
            let fails = number < failed
            let end = now.addingTimeInterval(-Double(number % 3600))
            let run = JobRun(
                id: "run-\(number)", jobNumber: number, commonStatus: fails ? .error : .successful,
                internalStatus: fails ? .abend : .succ, returnCode: fails ? 8 : 0,
                startTime: end.addingTimeInterval(-60),
                endTime: end)
            jobs.append(
                Job(
                    id: "job-\(number)", name: String(format: "JOB_%05d", number), workstation: "AGT\(number % 20)",
                    jobStreamName: "STREAM_\(number % 50)", commonStatus: run.commonStatus,
                    internalStatus: run.internalStatus, runs: [run]))
        }
        state = Mutex((jobs, Dictionary(uniqueKeysWithValues: jobs.enumerated().map { ($1.id, $0) })))
    }

    /// Fails `count` more jobs now (a new run each).
    func failMore(_ count: Int, tag: String) {
        let now = Date()
        state.withLock { state in
            for _ in 0..<count {
                let position = Int.random(in: 0..<state.jobs.count)
                var job = state.jobs[position]
                let run = JobRun(
                    id: "run-\(tag)-\(position)", commonStatus: .error, internalStatus: .abend, returnCode: 12,
                    startTime: now.addingTimeInterval(-5), endTime: now, isRerun: true)
                job.runs = [run]
                job.commonStatus = .error
                job.internalStatus = .abend
                state.jobs[position] = job
            }
        }
    }

    func endTime(ofJobNamed name: String) -> Date? {
        state.withLock { state in
            guard let number = Int(name.dropFirst("JOB_".count)), number < state.jobs.count else { return nil }
            return state.jobs[number].lastRun?.endTime
        }
    }

    func jobs(matching filter: JobFilter) async throws -> [Job] {
        state.withLock { state in
            var result: [Job] = []
            for job in state.jobs {
                let statusMatch =
                    filter.commonStatuses.contains(job.commonStatus)
                    || job.internalStatus.map(filter.internalStatuses.contains) == true
                guard statusMatch, let end = job.lastRun?.endTime, end >= (filter.since ?? .distantPast) else {
                    continue
                }
                result.append(job)
                if result.count >= filter.limit { break }
            }
            return result
        }
    }

    func job(id: String) async throws -> Job {
        try state.withLock { state in
            guard let position = state.index[id] else { throw SchedulerError.notFound(id) }
            return state.jobs[position]
        }
    }

    func jobStreams(named name: String, limit: Int) async throws -> [JobStream] { [] }
    func workstations() async throws -> [Workstation] { [] }
    func engineInfo() async throws -> EngineInfo { EngineInfo(version: "bench") }
    func jobCounts() async throws -> [CommonStatus: Int] { [:] }
    func jobLog(runID: String, tail: Int) async throws -> JobLog { JobLog(runID: runID, lines: [], truncated: false) }
}

/// Counts publishes and, once asked, the lag from each failed run's end to its alert.
final class CountingPublisher: AlertPublishing {
    let plan: BenchPlan
    private let state = Mutex((count: 0, measuring: false, lags: [Double]()))

    init(plan: BenchPlan) {
        self.plan = plan
    }

    func startLagMeasurement() { state.withLock { $0.measuring = true } }
    var lags: [Double] { state.withLock { $0.lags } }

    func publish(
        _ message: AlertMessage, to destination: AlertDestination, inThreadOf parent: AlertMessageRef?, key: String
    )
        async throws -> AlertMessageRef
    {
        let end = message.kind == .failure ? message.jobName.flatMap(plan.endTime(ofJobNamed:)) : nil
        let now = Date()
        state.withLock { state in
            state.count += 1
            if state.measuring, let end { state.lags.append(now.timeIntervalSince(end)) }
        }
        return AlertMessageRef(destination: destination, handle: key)
    }
}

/// A diagnosis without I/O, so the benchmark times the monitor itself.
struct BenchDiagnoser: FailureDiagnosing {
    func diagnose(_ job: Job, language: Language) async -> Answer {
        Answer(
            question: job.name, parsed: ParsedQuestion(intent: .jobStatus, language: language, jobName: job.name),
            headline: "\(job.name) failed", createdAt: Date())
    }
}
