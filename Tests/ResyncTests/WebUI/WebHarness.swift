import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

/// An application wired with fakes, a fresh database, an admin and a viewer (bcrypt cost 4 for speed).
struct WebHarness: Sendable {
    static let adminPassword = "correct horse battery staple"
    static let viewerPassword = "viewer only 42"
    static let adminHash = WebAuth.hashPassword(adminPassword, cost: 4)
    static let viewerHash = WebAuth.hashPassword(viewerPassword, cost: 4)

    let dependencies: AppDependencies
    let web: WebComponents
    let scheduler: WebFakeScheduler
    /// The web chat's votes, wired as the composition root wires them.
    let feedback: SQLWebFeedbackStore
    /// Where the votes end up: the chat platforms' feedback rows.
    let votes: SQLAnswerFeedbackStore
    let clock: WebManualClock
    /// The memories the review page curates (a real SQL store on the test database).
    let memories: SQLMemoryStore

    static func with<T: Sendable>(
        engine: TestEngine = .sqlite, environment: [String: String] = [:], scheduler: WebFakeScheduler? = nil,
        settings: WebSettings = WebSettings(), _ body: @Sendable (WebHarness) async throws -> T
    ) async throws -> T {
        let scheduler =
            scheduler
            ?? WebFakeScheduler(jobs: sampleJobs(now: WebManualClock().now()), workstations: sampleWorkstations)
        return try await TestDatabases.withDatabase(engine) { database in
            let config = try AppConfig.load(
                environment: ["DATABASE_URL": "sqlite::memory:"].merging(environment) { $1 })
            let clock = WebManualClock()
            var settings = settings
            settings.authOverride = WebAuthConfiguration(
                users: [
                    WebCredential(user: "admin", passwordHash: Secret(adminHash), role: .admin),
                    WebCredential(user: "viewer", passwordHash: Secret(viewerHash), role: .viewer),
                ], generatedAdminUser: nil, secureCookies: false, bcryptCost: 4)
            let logger = TestLogging.quiet("test.webui")
            let memories = SQLMemoryStore(database: database, time: clock, logger: logger)
            let feedback = WebWiring.makeFeedbackStore(database: database, memories: memories, logger: logger)
            let web = try await WebWiring.makeComponents(
                config: config, database: database,
                ports: WebPorts(
                    scheduler: scheduler,
                    knowledge: WebFakeKnowledge(
                        statistics: KnowledgeStats(entries: 128, lastImport: clock.now(), lastImportErrors: 2)),
                    memories: memories, feedback: feedback, breakerState: { "closed" }, time: clock),
                settings: settings, logger: logger)
            let dependencies = AppDependencies(
                config: config, database: database, registry: TestMetrics.registry, readiness: [], services: [],
                logger: logger, memories: memories, web: web)
            return try await body(
                WebHarness(
                    dependencies: dependencies, web: web, scheduler: scheduler, feedback: feedback,
                    votes: SQLAnswerFeedbackStore(database: database), clock: clock, memories: memories))
        }
    }

    func application() -> some ApplicationProtocol {
        Application(router: ResyncApplication.buildRouter(dependencies), logger: dependencies.logger)
    }

    static let sampleWorkstations = [
        Workstation(id: "ws1", name: "/CPU_PROD1", type: "FTA", linked: true, running: true),
        Workstation(id: "ws2", name: "/CPU_PROD2", type: "FTA", linked: false, running: false),
    ]

    static func sampleJobs(now: Date) -> [Job] {
        [
            WebFakeScheduler.job(
                "PAYROLL_FINAL", status: .error, internal: .abend, returnCode: 12,
                endedAt: now.addingTimeInterval(-1800)),
            WebFakeScheduler.job("GL_CLOSE", status: .successful, endedAt: now.addingTimeInterval(-600)),
            WebFakeScheduler.job("INVOICE_SYNC", status: .running),
            WebFakeScheduler.job("REPORT_DAILY", status: .waiting),
        ]
    }
}

/// A logged-in browser: its session cookie and the CSRF token its pages carry.
struct BrowserSession: Sendable {
    var cookie: String
    var csrf: String

    var headers: HTTPFields { [.cookie: "\(WebAuth.sessionCookieName)=\(cookie)"] }

    func headers(csrf token: String?, contentType: String = "application/json") -> HTTPFields {
        var fields = headers
        fields[.contentType] = contentType
        if let token { fields[HTTPField.Name("X-CSRF-Token")!] = token }
        return fields
    }
}

enum WebTestClient {
    /// GET /login, POST the form with its token, then read the CSRF token from the chat page.
    static func login(
        _ client: some TestClientProtocol, user: String = "admin", password: String = WebHarness.adminPassword
    ) async throws -> BrowserSession {
        let response = try await postLogin(client, user: user, password: password)
        #expect(response.status == .seeOther)
        let cookie = try #require(cookieValue(response, named: WebAuth.sessionCookieName))
        let page = try await client.execute(
            uri: "/", method: .get, headers: [.cookie: "\(WebAuth.sessionCookieName)=\(cookie)"]
        ) { String(buffer: $0.body) }
        let csrf = try #require(attribute("data-csrf", in: page))
        return BrowserSession(cookie: cookie, csrf: csrf)
    }

    static func postLogin(
        _ client: some TestClientProtocol, user: String, password: String, tamperToken: Bool = false
    ) async throws -> TestResponse {
        let form = try await client.execute(uri: "/login", method: .get) { $0 }
        let token = try #require(cookieValue(form, named: WebAuth.loginCSRFCookieName))
        let submitted = tamperToken ? "forged" + token : token
        let body = "user=\(encode(user))&password=\(encode(password))&_csrf=\(encode(submitted))&next=%2Fdashboard"
        return try await client.execute(
            uri: "/login", method: .post,
            headers: [
                .cookie: "\(WebAuth.loginCSRFCookieName)=\(token)", .contentType: "application/x-www-form-urlencoded",
            ], body: ByteBuffer(string: body)
        ) { $0 }
    }

    static func cookieValue(_ response: TestResponse, named name: String) -> String? {
        for header in response.headers[values: .setCookie] where header.hasPrefix("\(name)=") {
            return String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }

    static func setCookie(_ response: TestResponse, named name: String) -> String? {
        response.headers[values: .setCookie].first { $0.hasPrefix("\(name)=") }
    }

    static func attribute(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "\(name)=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
