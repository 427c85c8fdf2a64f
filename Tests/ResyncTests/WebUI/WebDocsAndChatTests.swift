import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("API docs, web chat, feedback and security headers")
struct WebDocsAndChatTests {
    static func openAPIPaths() throws -> [String: [String: Any]] {
        let url = RepositoryPaths.root.appendingPathComponent("Sources/Web/Resources/openapi.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(root["openapi"] as? String == "3.1.0")
        return try #require(root["paths"] as? [String: [String: Any]])
    }

    /// `/api/jobs/:name` and `/api/jobs/{name}` are both written `{name}` in OpenAPI.
    static func openAPIPath(_ routerPath: String) -> String {
        routerPath.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    @Test func everyRegisteredRouteIsDocumented() async throws {
        let routes = try await WebHarness.with { harness in
            ResyncApplication.buildRouter(harness.dependencies).routes.map {
                (method: $0.method.rawValue.lowercased(), path: Self.openAPIPath($0.path.description))
            }
        }
        #expect(routes.count >= 12)
        let documented = try Self.openAPIPaths()
        for route in routes {
            #expect(
                documented[route.path]?[route.method] != nil,
                "\(route.method) \(route.path) is missing from openapi.json")
        }
    }

    /// DESIGN.md's HTTP surface table, route by route.
    @Test func designSurfaceIsDocumented() throws {
        let documented = try Self.openAPIPaths()
        let surface: [(String, String)] = [
            ("post", "/slack/events"), ("post", "/slack/commands"), ("post", "/slack/interactivity"),
            ("post", "/teams/webhook"), ("post", "/mattermost/command"), ("post", "/mattermost/webhook"),
            ("post", "/api/ask"), ("get", "/api/jobs/{name}"), ("get", "/api/failures"), ("get", "/api/health-summary"),
            ("get", "/api/memories"), ("post", "/api/feedback"), ("get", "/dashboard"), ("get", "/dashboard/events"),
            ("get", "/"), ("get", "/revisao"), ("get", "/login"), ("get", "/api/metrics"), ("get", "/metrics"),
            ("get", "/healthz"), ("get", "/readyz"), ("get", "/docs"), ("get", "/openapi.json"),
        ]
        for (method, path) in surface {
            #expect(documented[path]?[method] != nil, "\(method.uppercased()) \(path)")
        }
    }

    /// The admin API token is an admin: every `/api/` route a login opens, it opens too (metrics have their own).
    @Test func everyAPIRouteBehindALoginDocumentsTheAPIToken() throws {
        for (path, operations) in try Self.openAPIPaths() where path.hasPrefix("/api/") && path != "/api/metrics" {
            for (method, operation) in operations {
                let security = (operation as? [String: Any])?["security"] as? [[String: Any]] ?? []
                #expect(security.contains { $0["apiToken"] != nil }, "\(method.uppercased()) \(path)")
            }
        }
    }

    /// Routes behind a login or a token answer 401 with `WWW-Authenticate`; webhooks check their own signatures.
    @Test func every401OfALoginOrTokenDocumentsItsChallenge() throws {
        for (path, operations) in try Self.openAPIPaths() {
            for (method, operation) in operations {
                let operation = operation as? [String: Any]
                let responses = operation?["responses"] as? [String: Any]
                guard operation?["security"] != nil, let unauthorized = responses?["401"] as? [String: Any] else {
                    continue
                }
                let headers = unauthorized["headers"] as? [String: Any]
                #expect(headers?["WWW-Authenticate"] != nil, "\(method.uppercased()) \(path)")
            }
        }
    }

    /// Every body is capped at 1 MiB (BodyLimitMiddleware and collectBody), so every route that takes one can 413.
    @Test func everyRouteWithABodyDocumentsTheBodyLimit() throws {
        for (path, operations) in try Self.openAPIPaths() {
            for (method, operation) in operations {
                let operation = operation as? [String: Any]
                guard operation?["requestBody"] != nil else { continue }
                let responses = operation?["responses"] as? [String: Any]
                #expect(responses?["413"] != nil, "\(method.uppercased()) \(path)")
            }
        }
    }

    @Test func docsPageRendersTheDocumentWithoutAnyCDN() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                try await client.execute(uri: "/docs", method: .get) { response in
                    #expect(response.status == .ok)
                    let page = String(buffer: response.body)
                    #expect(page.contains("<code>/dashboard/events</code>"))
                    #expect(page.contains("<code>/api/ask</code>"))
                    #expect(!page.contains("https://"), "no external resources")
                }
                try await client.execute(uri: "/openapi.json", method: .get) { response in
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
                    #expect(json is [String: Any])
                }
            }
        }
    }

    @Test func chatPageLoadsItsScriptFromAFileAndCarriesTheCSRFToken() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let session = try await WebTestClient.login(client)
                try await client.execute(uri: "/?lang=en", method: .get, headers: session.headers) { response in
                    #expect(response.status == .ok)
                    let page = String(buffer: response.body)
                    #expect(page.contains("<script src=\"/static/chat.js\" defer></script>"))
                    #expect(page.components(separatedBy: "<script").count == 2, "one script tag, external")
                    #expect(page.contains("data-language=\"en\""))
                    #expect(!session.csrf.isEmpty)
                }
                try await client.execute(
                    uri: "/", method: .get, headers: session.headers.merging([.acceptLanguage: "pt-BR,pt;q=0.9"])
                ) { response in
                    #expect(String(buffer: response.body).contains("data-language=\"pt-BR\""))
                }
            }
        }
    }

    /// Asks through `POST /api/ask` as `session` and returns the answer's id.
    static func ask(_ client: some TestClientProtocol, _ session: BrowserSession) async throws -> String {
        try await client.execute(
            uri: "/api/ask", method: .post, headers: session.headers(csrf: session.csrf),
            body: ByteBuffer(string: #"{"question":"status of PAYROLL_FINAL"}"#)
        ) { response in
            #expect(response.status == .ok)
            let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return try #require(answer?["id"] as? String)
        }
    }

    static func vote(
        _ client: some TestClientProtocol, _ session: BrowserSession, _ answerID: String, _ polarity: String
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/feedback", method: .post, headers: session.headers(csrf: session.csrf),
            body: ByteBuffer(string: #"{"answerId":"\#(answerID)","polarity":"\#(polarity)"}"#)
        ) { $0 }
    }

    @Test func feedbackIsStoredAndCountsOncePerUserAndAnswer() async throws {
        try await WebHarness.with { harness in
            let answerID = try await harness.application().test(.router) { client in
                let viewer = try await WebTestClient.login(client, user: "viewer", password: WebHarness.viewerPassword)
                let answerID = try await Self.ask(client, viewer)
                for _ in 0..<20 {
                    let response = try await Self.vote(client, viewer, answerID, "negative")
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains(#""stored":true"#))
                }
                // A changed vote replaces the earlier one.
                #expect(try await Self.vote(client, viewer, answerID, "positive").status == .ok)
                let admin = try await WebTestClient.login(client)
                #expect(try await Self.vote(client, admin, answerID, "negative").status == .ok)
                return answerID
            }
            let rows = try await harness.votes.feedback(answerID: answerID)
            #expect(rows.count == 2)
            let viewer = try #require(rows.first { $0.feedback.user == "viewer" })
            #expect(viewer.feedback.polarity == .positive)
            #expect(viewer.feedback.conversation.platform == .web)
            #expect(viewer.feedback.conversation.message == answerID)
            #expect(viewer.jobName == "PAYROLL_FINAL")
            #expect(rows.first { $0.feedback.user == "admin" }?.feedback.polarity == .negative)
            let activity = await harness.web.bot.summary()
            #expect(activity.positiveFeedback == 1 && activity.negativeFeedback == 1)
        }
    }

    @Test(
        "a vote on an answer /api/ask did not give is refused and not counted",
        arguments: ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "2F1B7F52-8D0B-4C7E-9E36-4A1D2C0B9E11"])
    func feedbackOnAnUnknownAnswerIsRefused(answerID: String) async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let viewer = try await WebTestClient.login(client, user: "viewer", password: WebHarness.viewerPassword)
                for _ in 0..<3 {
                    let response = try await Self.vote(client, viewer, answerID, "negative")
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body).contains("no answer '\(answerID)' was given here"))
                }
            }
            #expect(try await harness.votes.recent(since: .distantPast, limit: 10).isEmpty)
            #expect(await harness.web.bot.summary().negativeFeedback == 0)
        }
    }

    @Test func malformedOrOversizeFeedbackIsRefused() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let session = try await WebTestClient.login(client, user: "viewer", password: WebHarness.viewerPassword)
                for body in [
                    #"{"answerId":"","polarity":"positive"}"#, #"{"answerId":"x","polarity":"meh"}"#, "not json",
                ] {
                    try await client.execute(
                        uri: "/api/feedback", method: .post, headers: session.headers(csrf: session.csrf),
                        body: ByteBuffer(string: body)
                    ) { #expect($0.status == .badRequest, "\(body)") }
                }
                let huge = String(repeating: "a", count: 1 << 20)
                try await client.execute(
                    uri: "/api/feedback", method: .post, headers: session.headers(csrf: session.csrf),
                    body: ByteBuffer(string: #"{"answerId":"\#(huge)","polarity":"positive"}"#)
                ) { #expect($0.status == .contentTooLarge) }
            }
            #expect(await harness.web.bot.summary().negativeFeedback == 0)
        }
    }

    @Test(
        "security headers on pages, APIs, errors and static files",
        arguments: [
            "/login", "/docs", "/healthz", "/no/such/page", "/static/resync.css", "/dashboard",
        ])
    func securityHeaders(path: String) async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                try await client.execute(uri: path, method: .get) { response in
                    let csp = try #require(response.headers[.contentSecurityPolicy])
                    #expect(csp.contains("script-src 'self'"))
                    #expect(!csp.contains("unsafe-inline"))
                    #expect(csp.contains("frame-ancestors 'none'"))
                    #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                }
            }
        }
    }

    @Test func noTemplateHasInlineScript() throws {
        let folder = RepositoryPaths.root.appendingPathComponent("Sources/Web/Resources/templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("<script>"), "\(name)")
            #expect(!text.contains(" style=\""), "\(name): inline styles are blocked by the CSP")
            #expect(!text.contains("onclick=") && !text.contains("javascript:"), "\(name): no inline handlers")
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
