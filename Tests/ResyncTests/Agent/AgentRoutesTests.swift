import Agent
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ResyncCore
import TestSupport
import Testing

@testable import Web

@Suite("Agent HTTP routes")
struct AgentRoutesTests {
    func withApp(
        scheduler: FakeScheduler = AgentFixtures.scheduler(), activity: BotActivityMeter? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let harness = AgentHarness(scheduler: scheduler)
        let router = Router(context: AppRequestContext.self)
        router.addMiddleware { JSONErrorMiddleware() }
        let configuration = AgentConfiguration(maxQuestionLength: 500)
        router.addAgentRoutes(
            answering: harness.agent, scheduler: scheduler, configuration: configuration, activity: activity,
            time: FakeTimeSource(now: AgentFixtures.now))
        try await Application(router: router).test(.router, body)
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    @Test func askReturnsTheAnswerAsJSON() async throws {
        try await withApp { client in
            let body = ByteBuffer(string: #"{"question": "Qual o status do job `PAYROLL_FINAL`?"}"#)
            try await client.execute(uri: "/api/ask", method: .post, body: body) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let answer = try decoder.decode(Answer.self, from: Data(response.body.readableBytesView))
                #expect(answer.parsed.intent == .jobStatus)
                #expect(answer.liveStatus?.jobs.first?.job.lastRun?.returnCode == 12)
                #expect(!String(buffer: response.body).contains("hunter2"))
            }
        }
    }

    @Test func eachAnswerCountsInTheDashboardsBotActivity() async throws {
        let meter = BotActivityMeter()
        try await withApp(activity: meter) { client in
            let body = ByteBuffer(string: #"{"question": "status of PAYROLL_FINAL"}"#)
            for _ in 0..<2 {
                try await client.execute(uri: "/api/ask", method: .post, body: body) { #expect($0.status == .ok) }
            }
            // A refused question is not an answer.
            try await client.execute(uri: "/api/ask", method: .post, body: ByteBuffer(string: "{}")) {
                #expect($0.status == .badRequest)
            }
        }
        let activity = await meter.summary()
        #expect(activity.questionsByPlatform == ["web": 2])
        #expect(activity.latencyP50Milliseconds != nil)
    }

    @Test func askHonoursTheLanguageHint() async throws {
        try await withApp { client in
            let body = ByteBuffer(string: #"{"question": "status ETL_LOAD_CUSTOMERS", "language": "en"}"#)
            try await client.execute(uri: "/api/ask", method: .post, body: body) { response in
                let headline = try Self.json(response.body)["headline"] as? String
                #expect(headline == "AGT_LNX_02#ETL_NIGHTLY.ETL_LOAD_CUSTOMERS is SUCCESSFUL (SUCC) RC 0")
            }
        }
    }

    @Test(
        "bad /api/ask bodies get a clear 400",
        arguments: [
            ("not json", "body must be JSON"), ("[]", "body must be JSON, an object"),
            (#"{"q": "x"}"#, "`question` is missing"), (#"{"question": null}"#, "`question` is missing or null"),
            (#"{"question": 42}"#, "`question` must be a string"),
            (#"{"question": ["status X"]}"#, "`question` must be a string"),
            (#"{"question": "status X", "language": 7}"#, "language must be"),
            (#"{"question": "   "}"#, "question is empty"),
            (#"{"question": "status X", "language": "fr"}"#, "language must be"),
            (#"{"question": "\#(String(repeating: "a", count: 501))"}"#, "longer than 500"),
        ])
    func badBodies(body: String, message: String) async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/ask", method: .post, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                #expect((error["message"] as? String)?.contains(message) == true)
            }
        }
    }

    @Test func askBodyOverOneMiBIs413EvenWithoutADeclaredLength() async throws {
        try await withApp { client in
            let question = String(repeating: "a", count: 1 << 20)
            let body = ByteBuffer(string: #"{"question": "\#(question)"}"#)
            try await client.execute(uri: "/api/ask", method: .post, body: body) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func jobsRoute() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/jobs/payroll_final", method: .get) { response in
                #expect(response.status == .ok)
                let jobs = try #require(try Self.json(response.body)["jobs"] as? [[String: Any]])
                #expect(jobs.first?["name"] as? String == "PAYROLL_FINAL")
            }
            try await client.execute(uri: "/api/jobs/PAYROL_FINAL", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("did you mean PAYROLL_FINAL"))
            }
        }
    }

    @Test(
        "the job name in the path is percent-decoded",
        arguments: [
            ("AGT_LNX_01%23FINANCE_DAILY.PAYROLL_FINAL", "AGT_LNX_01#FINANCE_DAILY.PAYROLL_FINAL"),
            ("%2FFINANCE%2FPAYROLL_FINAL", "/FINANCE/PAYROLL_FINAL"), ("payroll_%2A", "PAYROLL_*"),
        ])
    func jobsRouteDecodesTheName(segment: String, name: String) async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/jobs/\(segment)", method: .get) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let reply = try Self.json(response.body)
                #expect(reply["name"] as? String == name)
                let jobs = try #require(reply["jobs"] as? [[String: Any]])
                #expect(jobs.map { $0["name"] as? String } == ["PAYROLL_FINAL"])
            }
        }
    }

    @Test(
        "a decoded name that matches no job is a 404 naming it; one that is no job name or bad encoding, a 400",
        arguments: [
            ("JOB_%3F", HTTPResponse.Status.notFound, "no job named JOB_?"),
            ("%C3%A9", .notFound, "no job named É"),
            ("a%20b", .badRequest, "'a b' is not a job name"),
            ("%ZZ", .badRequest, "not valid percent-encoding"),
        ])
    func jobsRouteRefusesWithTheDecodedName(
        segment: String, status: HTTPResponse.Status, message: String
    ) async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/jobs/\(segment)", method: .get) { response in
                #expect(response.status == status)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
            }
        }
    }

    @Test func failuresRoute() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/failures?since=1h", method: .get) { response in
                #expect(response.status == .ok)
                let reply = try Self.json(response.body)
                #expect(reply["label"] as? String == "1h")
                #expect((reply["jobs"] as? [[String: Any]])?.map { $0["name"] as? String } == ["PAYROLL_FINAL"])
            }
            try await client.execute(uri: "/api/failures?since=banana", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test(
        "since takes the documented forms; empty or absent is the default 24h",
        arguments: [
            ("since=30m", "30m"), ("since=1h", "1h"), ("since=3H", "3h"), ("since=2d", "2d"), ("since=168h", "168h"),
            ("since=7d", "7d"), ("since=today", "today"), ("since=yesterday", "yesterday"),
            ("since=since%2009:30", "since 09:30"), ("since=since+09:30", "since 09:30"), ("since=%203h%20", "3h"),
            ("since=", "24h"), ("", "24h"),
        ])
    func failuresWindow(query: String, label: String) async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/failures?\(query)", method: .get) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let reply = try Self.json(response.body)
                #expect(reply["label"] as? String == label)
            }
        }
    }

    @Test(
        "since in any other form is a 400 that says so, and says when it is too large",
        arguments: [
            ("-3h", "is not a window"), ("abc%203h", "is not a window"), ("3h%20garbage", "is not a window"),
            ("3hours", "is not a window"), ("3.5h", "is not a window"), ("0h", "is not a window"),
            ("banana", "is not a window"), ("since%2025:00", "is not a window"), ("hoje", "is not a window"),
            ("1000h", "is too large"), ("8d", "is too large"), ("10081m", "is too large"),
        ])
    func failuresWindowRefused(since: String, message: String) async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/failures?since=\(since)", method: .get) { response in
                #expect(response.status == .badRequest)
                let error = try #require(try Self.json(response.body)["error"] as? [String: Any])
                #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
            }
        }
    }

    @Test func healthSummaryRoute() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/health-summary", method: .get) { response in
                #expect(response.status == .ok)
                let reply = try Self.json(response.body)
                #expect(reply["workstationCount"] as? Int == 3)
            }
        }
    }

    @Test func schedulerDownIs503OnToolRoutesButAskStillAnswers() async throws {
        try await withApp(scheduler: AgentFixtures.scheduler(failure: .unreachable("connection refused"))) { client in
            try await client.execute(uri: "/api/health-summary", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("HWA unreachable"))
            }
            let body = ByteBuffer(string: #"{"question": "status PAYROLL_FINAL"}"#)
            try await client.execute(uri: "/api/ask", method: .post, body: body) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("schedulerUnavailable"))
            }
        }
    }
}
