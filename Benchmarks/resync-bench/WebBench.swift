import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ResyncCore
import Storage
import Web

/// `resync-bench web`: dashboard render time and SSE fan-out to many clients over real loopback connections.
struct WebBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web", abstract: "Dashboard render p50/p99 and SSE fan-out to N clients (CPU, memory).")

    @Option(help: "Renders to time.") var renders = 2_000
    @Option(help: "Concurrent event-stream clients.") var clients = 500
    @Option(help: "Snapshots published to all clients.") var frames = 20

    func run() async throws {
        var logger = Logger(label: "bench.web")
        logger.logLevel = .error
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "resync-bench-web-\(UUID().uuidString)")
        let database = try AppDatabase(
            location: .sqlite(path: folder.appendingPathComponent("db.sqlite").path), logger: logger)
        try await database.migrate()
        let config = try AppConfig.load(environment: ["DATABASE_URL": "sqlite::memory:", "HTTP_HOST": "127.0.0.1"])
        var settings = WebSettings()
        settings.maxStreams = clients + 10
        settings.streamBuffer = frames + 4
        settings.authOverride = WebAuthConfiguration(
            users: [
                WebCredential(
                    user: "bench", passwordHash: Secret(WebAuth.hashPassword("bench-password", cost: 4)), role: .viewer)
            ],
            generatedAdminUser: nil, secureCookies: false, bcryptCost: 4)
        let scheduler = WebBenchScheduler()
        let web = try await WebWiring.makeComponents(
            config: config, database: database, ports: WebPorts(scheduler: scheduler), settings: settings,
            logger: logger)
        try await measureRenders(web)
        try await measureFanOut(web, config: config, database: database, logger: logger)
        try? FileManager.default.removeItem(at: folder)
    }

    func measureRenders(_ web: WebComponents) async throws {
        let snapshot = await web.poller.refresh().snapshot
        let renderer = DashboardRenderer(templates: web.templates)
        var durations: [Double] = []
        durations.reserveCapacity(renders)
        let clock = ContinuousClock()
        for _ in 0..<renders {
            let elapsed = clock.measure { _ = renderer.fragment(for: snapshot, language: .english) }
            durations.append(ms(elapsed))
        }
        durations.sort()
        let bytes = renderer.fragment(for: snapshot, language: .english).utf8.count
        print(
            "| dashboard render (\(snapshot.workstations.count) workstations, \(snapshot.failures.count) failures, \(bytes) bytes) | p50 \(fmt(percentile(durations, 0.5))) ms | p99 \(fmt(percentile(durations, 0.99))) ms | n=\(renders) |"
        )
    }

    func measureFanOut(_ web: WebComponents, config: AppConfig, database: AppDatabase, logger: Logger) async throws {
        guard
            case .success(_, let cookie) = try await web.auth.login(
                user: "bench", password: "bench-password", address: nil)
        else { throw ValidationError("bench login failed") }
        let router = Router(context: AppRequestContext.self)
        router.addWebAccessControl(web)
        router.addWebRoutes(web)
        let port = PortBox()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await port.set(channel.localAddress?.port ?? 0) }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try? await app.run() }
            while await port.value == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let url = "http://127.0.0.1:\(await port.value)/dashboard/events"
            // The shared client allows 8 connections per host; every stream needs its own.
            var clientConfiguration = HTTPClient.Configuration()
            clientConfiguration.connectionPool = .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients + 10)
            let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
            let before = ResourceUsage.now()
            let started = ContinuousClock.now
            let received = try await withThrowingTaskGroup(of: Int.self, returning: [Int].self) { clientsGroup in
                for _ in 0..<clients {
                    clientsGroup.addTask {
                        try await Self.follow(http, url: url, cookie: cookie.value, frames: frames + 1)
                    }
                }
                while await web.hub.clientCount < clients { try await Task.sleep(for: .milliseconds(20)) }
                let connected = ContinuousClock.now - started
                let afterConnect = ResourceUsage.now()
                print(
                    "| SSE connect \(clients) clients | \(fmt(ms(connected))) ms | RSS +\(afterConnect.rssKiB - before.rssKiB) KiB |"
                )
                let publishStart = ContinuousClock.now
                for _ in 0..<frames {
                    await web.poller.refresh()
                    try await Task.sleep(for: .milliseconds(50))
                }
                var counts: [Int] = []
                for try await count in clientsGroup { counts.append(count) }
                let spent = ContinuousClock.now - publishStart
                let after = ResourceUsage.now()
                print(
                    "| SSE fan-out \(frames) snapshots × \(clients) clients | \(fmt(ms(spent))) ms wall (incl. \(frames) × 50 ms pacing) | CPU \(fmt(after.cpuSeconds - afterConnect.cpuSeconds)) s (server + clients, one process) | RSS \(after.rssKiB / 1024) MiB | dropped \(await web.hub.droppedClients) |"
                )
                return counts
            }
            let complete = received.filter { $0 >= frames + 1 }.count
            print("| SSE delivery | \(complete)/\(clients) clients got all \(frames + 1) snapshots |")
            try await http.shutdown()
            group.cancelAll()
        }
    }

    /// Reads the stream until `frames` snapshots arrived; returns how many did.
    static func follow(_ http: HTTPClient, url: String, cookie: String, frames: Int) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Cookie", value: "\(WebAuth.sessionCookieName)=\(cookie)")
        let response = try await http.execute(request, timeout: .seconds(120))
        var count = 0
        var carry = ""
        for try await buffer in response.body {
            carry += String(buffer: buffer)
            while let range = carry.range(of: "event: snapshot\n") {
                count += 1
                carry.removeSubrange(..<range.upperBound)
            }
            if count >= frames { break }
        }
        return count
    }

    func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    func ms(_ duration: Duration) -> Double {
        duration.inMilliseconds
    }

    func fmt(_ value: Double) -> String { String(format: "%.2f", value) }
}

actor PortBox {
    var value = 0
    func set(_ port: Int) { value = port }
}

/// CPU seconds and resident memory of this process (Linux /proc).
struct ResourceUsage {
    var cpuSeconds: Double
    var rssKiB: Int

    static func now() -> ResourceUsage {
        var usage = rusage()
        #if os(Linux)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        let cpu =
            Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let rss =
            status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return ResourceUsage(cpuSeconds: cpu, rssKiB: rss)
    }
}

/// A plan of realistic size: 40 workstations (3 unlinked), 1,200 jobs, 25 recent failures.
struct WebBenchScheduler: SchedulerAPI {
    let plan: [Job]
    let stations: [Workstation]

    init() {
        let now = Date()
        let statuses: [CommonStatus] = [.successful, .successful, .successful, .running, .waiting, .ready, .held]
        var jobs: [Job] = (0..<1_175).map { index in
            Job(
                id: "j\(index)", name: "JOB_\(index)", workstation: "/CPU_\(index % 40)",
                jobStreamName: "STREAM_\(index % 60)",
                commonStatus: statuses[index % statuses.count])
        }
        jobs += (0..<25).map { index in
            Job(
                id: "f\(index)", name: "FAILED_JOB_\(index)", workstation: "/CPU_\(index % 40)",
                jobStreamName: "NIGHTLY",
                commonStatus: .error, internalStatus: .abend,
                runs: [
                    JobRun(
                        id: "r\(index)", commonStatus: .error, internalStatus: .abend, returnCode: 12,
                        endTime: now.addingTimeInterval(-Double(index) * 700))
                ])
        }
        plan = jobs
        stations = (0..<40).map {
            Workstation(id: "w\($0)", name: "/CPU_\($0)", type: "FTA", linked: $0 % 13 != 5, running: true)
        }
    }

    func jobs(matching filter: JobFilter) async throws -> [Job] { plan.filter(\.isFailed) }
    func job(id: String) async throws -> Job { plan[0] }
    func jobStreams(named name: String, limit: Int) async throws -> [JobStream] { [] }
    func workstations() async throws -> [Workstation] { stations }
    func engineInfo() async throws -> EngineInfo { EngineInfo(version: "10.2.3", timeZone: "America/Sao_Paulo") }
    func jobCounts() async throws -> [CommonStatus: Int] {
        Dictionary(grouping: plan, by: \.commonStatus).mapValues(\.count)
    }
    func jobLog(runID: String, tail: Int) async throws -> JobLog { JobLog(runID: runID, lines: [], truncated: false) }
}
