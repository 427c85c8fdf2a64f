import Foundation
import Logging
import Monitor
import ResyncCore
import Storage
import TestSupport
import Testing

@Suite("Failure monitor: service loop, leader lease and replicas")
struct MonitorReplicaTests {
    static var quietLogger: Logger {
        var logger = Logger(label: "test.monitor.lease")
        logger.logLevel = .critical
        return logger
    }

    @Test("the service polls every interval until cancelled (SQLite, single instance)")
    func serviceLoop() async throws {
        try await TestDatabases.withDatabase(.sqlite) { database in
            let clock = MonitorTestClock(Date())
            let harness = try MonitorHarness(database: database, clock: clock, interval: .milliseconds(200))
            let running = Task { try await harness.monitor.run() }
            defer { running.cancel() }
            _ = harness.fail("LOOP_JOB", secondsAgo: 1)
            #expect(await eventually { harness.publisher.posts(.failure).count == 1 })
            running.cancel()
            _ = try await running.value
        }
    }

    @Test("one advisory lock: a second lease waits until the first is released")
    func leaseExclusion() async throws {
        guard TestEngine.available.contains(.postgres) else { return }
        let location = try await TestDatabases.makeLocation(.postgres)
        let first = try #require(try PostgresLeaderLease(location: location, logger: Self.quietLogger))
        let second = try #require(try PostgresLeaderLease(location: location, logger: Self.quietLogger))
        #expect(first.lockKey == second.lockKey)
        let firstRan = try await first.whileLeading {
            let ran = try await second.whileLeading {}
            #expect(!ran)
        }
        #expect(firstRan)
        #expect(try await second.whileLeading {})
    }

    @Test("two replicas on one PostgreSQL database: one alert per failure; the survivor takes over within an interval")
    func twoReplicas() async throws {
        guard TestEngine.available.contains(.postgres) else { return }
        let location = try await TestDatabases.makeLocation(.postgres)
        let interval = Duration.milliseconds(500)
        let scheduler = ScriptedScheduler()
        let clock = MonitorTestClock(Date())
        try await TestDatabases.withDatabase(at: location) { databaseA in
            try await TestDatabases.withDatabase(at: location) { databaseB in
                let leaseA = try #require(
                    try PostgresLeaderLease(location: location, heartbeat: .milliseconds(250), logger: Self.quietLogger)
                )
                let leaseB = try #require(
                    try PostgresLeaderLease(location: location, heartbeat: .milliseconds(250), logger: Self.quietLogger)
                )
                let replicaA = try MonitorHarness(
                    database: databaseA, scheduler: scheduler, clock: clock, lease: leaseA, interval: interval)
                let replicaB = try MonitorHarness(
                    database: databaseB, scheduler: scheduler, clock: clock, lease: leaseB, interval: interval)
                let taskA = Task { try await replicaA.monitor.run() }
                let taskB = Task { try await replicaB.monitor.run() }
                defer {
                    taskA.cancel()
                    taskB.cancel()
                }
                var failed: [String] = []
                for index in 0..<6 {
                    failed.append(replicaA.fail("REPLICA_\(index)", secondsAgo: 1).name)
                    try await Task.sleep(for: .milliseconds(300))
                }
                let total = { replicaA.publisher.posts(.failure).count + replicaB.publisher.posts(.failure).count }
                #expect(await eventually { total() == failed.count })
                try await Task.sleep(for: interval * 3)
                #expect(total() == failed.count)
                let all = replicaA.publisher.posts(.failure) + replicaB.publisher.posts(.failure)
                #expect(Set(all.compactMap(\.message.jobName)) == Set(failed))

                // Kill the leader; the other replica must take over within one interval (plus connection time).
                let leaderIsA = !replicaA.publisher.posts.isEmpty
                let (leaderTask, survivor) = leaderIsA ? (taskA, replicaB) : (taskB, replicaA)
                #expect(survivor.publisher.posts.isEmpty)
                leaderTask.cancel()
                _ = try? await leaderTask.value
                let killedAt = ContinuousClock.now
                _ = survivor.fail("AFTER_FAILOVER", secondsAgo: 1)
                #expect(await eventually(timeout: .seconds(10)) { survivor.publisher.posts(.failure).count == 1 })
                let takeover = ContinuousClock.now - killedAt
                #expect(takeover < interval * 2 + .seconds(3), "takeover took \(takeover)")
                #expect(survivor.publisher.posts(.failure).first?.message.jobName == "AFTER_FAILOVER")
            }
        }
    }
}
