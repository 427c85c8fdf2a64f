import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ResyncCore
import TestSupport
import Testing
import Web

@Suite("Dashboard: snapshot, rendering, escaping, fan-out")
struct DashboardTests {
    @Test func snapshotReadsEveryPort() async throws {
        try await WebHarness.with { harness in
            await harness.web.alerts.record(
                AlertActivity(kind: .alert, jobName: "PAYROLL_FINAL", summary: "ABEND RC 12", at: harness.clock.now()))
            await harness.web.bot.recordAnswer(platform: .slack, latencyMilliseconds: 120)
            await harness.web.bot.recordAnswer(platform: .web, latencyMilliseconds: 480)
            let frame = await harness.web.poller.refresh()
            let snapshot = frame.snapshot
            #expect(snapshot.engine.reachable)
            #expect(snapshot.engine.info?.version == "10.2.3")
            #expect(snapshot.engine.breakerState == "closed")
            #expect(snapshot.engine.lastSuccessfulPoll == harness.clock.now())
            #expect(snapshot.workstations.first?.name == "/CPU_PROD2", "workstations needing attention come first")
            #expect(snapshot.statusCounts.map(\.status) == ["RUNNING", "WAITING", "SUCCESSFUL", "ERROR"])
            #expect(snapshot.failures.map(\.jobName) == ["PAYROLL_FINAL"])
            #expect(snapshot.failures.first?.returnCode == 12)
            #expect(snapshot.alerts.count == 1)
            #expect(snapshot.bot.questionsByPlatform == ["slack": 1, "web": 1])
            #expect(snapshot.knowledge.stats?.entries == 128)
            let html = try #require(frame.fragments[.english])
            #expect(html.contains("PAYROLL_FINAL"))
            #expect(html.contains("NOT LINKED"))
            #expect(html.contains("<svg class=\"donut\""))
            #expect(html.contains("<svg class=\"sparkline\""))
            #expect(html.contains("href=\"/?q=why%20did%20PAYROLL_FINAL%20fail"))
            #expect(try #require(frame.fragments[.portuguese]).contains("Falhas"))
        }
    }

    @Test func aJobARerunRecoveredStaysInTheFailuresAtItsFailureTime() async throws {
        let now = WebManualClock().now()
        let failedAt = now.addingTimeInterval(-2 * 3600 - 600)
        let recovered = Job(
            id: "job-etl", name: "ETL_SALES_LOAD", workstation: "/CPU_PROD1", jobStreamName: "DWH_LOAD",
            commonStatus: .successful, internalStatus: .succ,
            runs: [
                JobRun(
                    id: "run-etl-1", commonStatus: .error, internalStatus: .abend, returnCode: 12,
                    startTime: failedAt.addingTimeInterval(-60), endTime: failedAt),
                JobRun(
                    id: "run-etl-2", commonStatus: .successful, internalStatus: .succ, returnCode: 0,
                    startTime: now.addingTimeInterval(-300), endTime: now.addingTimeInterval(-240), isRerun: true),
            ])
        let scheduler = WebFakeScheduler(
            jobs: WebHarness.sampleJobs(now: now) + [recovered], workstations: WebHarness.sampleWorkstations)
        try await WebHarness.with(scheduler: scheduler) { harness in
            let frame = await harness.web.poller.refresh()
            #expect(frame.snapshot.failures.map(\.jobName) == ["PAYROLL_FINAL", "ETL_SALES_LOAD"])
            let etl = try #require(frame.snapshot.failures.last)
            #expect(etl.status == "ABEND")
            #expect(etl.returnCode == 12)
            #expect(etl.endedAt == failedAt)
            #expect(etl.recoveredAt == now.addingTimeInterval(-240))
            #expect(frame.snapshot.failures.first?.recoveredAt == nil)
            #expect(try #require(frame.fragments[.english]).contains("<span class=\"badge good\">recovered · "))
            #expect(try #require(frame.fragments[.portuguese]).contains("<span class=\"badge good\">recuperado · "))
        }
    }

    @Test func unreachableHWAKeepsTheLastGoodDataAndSaysSo() async throws {
        try await WebHarness.with { harness in
            let good = await harness.web.poller.refresh().snapshot
            await harness.scheduler.setUnreachable(true)
            harness.clock.advance(by: 95)
            let frame = await harness.web.poller.refresh()
            #expect(frame.snapshot.engine.reachable == false)
            #expect(frame.snapshot.engine.problem?.contains("connection refused") == true)
            #expect(frame.snapshot.engine.lastSuccessfulPoll == good.engine.lastSuccessfulPoll)
            #expect(frame.snapshot.failures == good.failures, "last good data stays visible")
            let html = try #require(frame.fragments[.english])
            #expect(html.contains("HWA unreachable"))
            #expect(html.contains("1 min ago"))
            #expect(html.contains("Figures below are from the last good poll."))
        }
    }

    @Test func noSchedulerWiredIsShownAsUnreachable() async throws {
        let sources = DashboardSources(scheduler: nil, knowledge: nil, time: WebManualClock())
        let snapshot = await DashboardCollector(sources: sources).collect(
            previous: .initial(at: Date(), failureWindowHours: 6))
        #expect(snapshot.engine.reachable == false)
        #expect(snapshot.engine.problem == "no HWA client is configured in this process")
        #expect(snapshot.knowledge.problem != nil)
        // Never a reassuring "no failures" when HWA has not answered at all.
        let html = DashboardRenderer(templates: try await WebTemplates.load()).fragment(
            for: snapshot, language: .english)
        #expect(html.contains("No data yet: HWA has not answered since Resync started."))
        #expect(!html.contains("No failures in this window."))
        #expect(html.contains("HWA unreachable"))
    }

    @Test func hostileTextIsEscapedEverywhere() async throws {
        let hostile = "<script>alert('x')</script>"
        let now = WebManualClock().now()
        let scheduler = WebFakeScheduler(
            engine: EngineInfo(version: "<img src=x onerror=alert(1)>", timeZone: hostile),
            jobs: [
                WebFakeScheduler.job(
                    hostile, status: .error, internal: .abend, returnCode: 8, endedAt: now, stream: hostile)
            ],
            workstations: [Workstation(id: "w", name: hostile, type: hostile, linked: false, running: true)])
        try await WebHarness.with(scheduler: scheduler) { harness in
            await harness.web.alerts.record(AlertActivity(kind: .recovery, jobName: hostile, summary: hostile, at: now))
            await harness.web.bot.recordAnswer(platform: .teams, latencyMilliseconds: 10)
            let frame = await harness.web.poller.refresh()
            for language in Language.allCases {
                let html = try #require(frame.fragments[language])
                #expect(!html.contains("<script"), "\(language)")
                #expect(!html.contains("<img"), "\(language)")
                #expect(html.contains("&lt;script&gt;"))
            }
            try await harness.application().test(.router) { client in
                let session = try await WebTestClient.login(client)
                try await client.execute(uri: "/dashboard?lang=en", method: .get, headers: session.headers) {
                    response in
                    let page = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(!page.contains("<script>"))
                    #expect(page.contains("<script src=\"/static/dashboard.js\" defer></script>"))
                }
            }
        }
    }

    @Test func dashboardPageAndJSONForALoggedInUser() async throws {
        try await WebHarness.with { harness in
            await harness.web.poller.refresh()
            try await harness.application().test(.router) { client in
                let session = try await WebTestClient.login(client, user: "viewer", password: WebHarness.viewerPassword)
                try await client.execute(uri: "/dashboard", method: .get, headers: session.headers) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                    let page = String(buffer: response.body)
                    #expect(page.contains("data-events=\"/dashboard/events?lang="))
                    #expect(page.contains("PAYROLL_FINAL"))
                }
                try await client.execute(uri: "/api/dashboard", method: .get, headers: session.headers) { response in
                    #expect(response.status == .ok)
                    let json = String(buffer: response.body)
                    #expect(json.contains("\"reachable\":true"))
                }
            }
        }
    }

    @Test func slowClientIsDroppedWhileOthersGetEveryFrame() async throws {
        let hub = DashboardHub(maxClients: 10, clientBuffer: 3)
        let slow = try #require(await hub.subscribe())
        let fast = try #require(await hub.subscribe())
        let snapshot = DashboardSnapshot.initial(at: Date(), failureWindowHours: 6)
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                var received = 0
                for await event in fast.events {
                    if case .frame = event { received += 1 }
                    if received == 10 { break }
                }
                return received
            }
            for _ in 0..<10 {
                await hub.publish(snapshot: snapshot, fragments: [:])
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(try await group.next() == 10)
        }
        // The slow reader never read: it got its buffer's worth, then its stream ended.
        var buffered = 0
        for await _ in slow.events { buffered += 1 }
        #expect(buffered == 3)
        #expect(await hub.droppedClients == 1)
        #expect(await hub.clientCount == 1)
    }

    @Test func streamCapRefusesExtraClients() async throws {
        let hub = DashboardHub(maxClients: 2, clientBuffer: 4)
        let first = await hub.subscribe()
        let second = await hub.subscribe()
        #expect(first != nil && second != nil)
        #expect(await hub.subscribe() == nil)
        await hub.unsubscribe(try #require(first).id)
        #expect(await hub.subscribe() != nil)
    }

    @Test func eventStreamRouteAnswers503AtTheCap() async throws {
        var settings = WebSettings()
        settings.maxStreams = 1
        try await WebHarness.with(settings: settings) { harness in
            _ = await harness.web.hub.subscribe()
            try await harness.application().test(.router) { client in
                let session = try await WebTestClient.login(client)
                try await client.execute(uri: "/dashboard/events", method: .get, headers: session.headers) { response in
                    #expect(response.status == .serviceUnavailable)
                }
            }
        }
    }

    @Test func latencyPercentilesAndFeedbackBalance() async {
        let meter = BotActivityMeter(latencySamples: 100)
        for value in 1...100 { await meter.recordAnswer(platform: .mattermost, latencyMilliseconds: Double(value)) }
        await meter.recordFeedback(.positive)
        await meter.recordFeedback(.positive)
        await meter.recordFeedback(.negative)
        let summary = await meter.summary()
        #expect(summary.latencyP50Milliseconds == 50)
        #expect(summary.latencyP95Milliseconds == 95)
        #expect(summary.questionsByPlatform == ["mattermost": 100])
        #expect(summary.positiveFeedback - summary.negativeFeedback == 1)
    }

    @Test func loginThrottleMemoryIsBounded() async {
        let throttle = LoginThrottle(capacity: 100)
        let now = Date()
        for index in 0..<1_000 { await throttle.recordFailure("user\(index)|10.0.0.1", now: now) }
        #expect(await throttle.trackedKeys <= 100)
    }
}
