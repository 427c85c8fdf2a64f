import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ResyncCore
import Storage
import TestSupport
import Testing
import Web

@Suite("Web login, access control and CSRF")
struct WebAuthRouteTests {
    static let pages = ["/", "/dashboard", "/revisao"]
    static let apis: [(HTTPRequest.Method, String)] = [
        (.get, "/api/dashboard"), (.get, "/dashboard/events"), (.post, "/api/feedback"), (.post, "/logout"),
    ]

    @Test("pages redirect to /login when not logged in", arguments: pages)
    func pagesRedirect(path: String) async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                try await client.execute(uri: path, method: .get, headers: [.accept: "text/html"]) { response in
                    #expect(response.status == .found)
                    #expect(response.headers[.location]?.hasPrefix("/login") == true)
                }
            }
        }
    }

    @Test("APIs answer 401 JSON when not logged in", arguments: 0..<apis.count)
    func apisRefuse(index: Int) async throws {
        let (method, path) = Self.apis[index]
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                try await client.execute(
                    uri: path, method: method, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: "{}")
                ) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                }
            }
        }
    }

    @Test func openRoutesStayOpen() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                for path in [
                    "/healthz", "/metrics", "/api/metrics", "/login", "/docs", "/openapi.json", "/static/resync.css",
                ] {
                    try await client.execute(uri: path, method: .get) { response in
                        #expect(response.status == .ok, "\(path)")
                    }
                }
            }
        }
    }

    @Test func loginSetsAHardenedSessionCookieAndRedirects() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let response = try await WebTestClient.postLogin(
                    client, user: "admin", password: WebHarness.adminPassword)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/dashboard")
                let cookie = try #require(WebTestClient.setCookie(response, named: WebAuth.sessionCookieName))
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Strict"))
                #expect(!cookie.contains("Secure"), "development runs on plain http")
                // The login form's CSRF cookie has done its job: it is removed, not renewed for an hour.
                let loginCSRF = try #require(WebTestClient.setCookie(response, named: WebAuth.loginCSRFCookieName))
                #expect(loginCSRF.hasPrefix("\(WebAuth.loginCSRFCookieName)=;"), "\(loginCSRF)")
                #expect(loginCSRF.contains("Max-Age=0"), "\(loginCSRF)")
                #expect(loginCSRF.contains("Path=/login"), "\(loginCSRF)")
                let session = try await WebTestClient.login(client)
                try await client.execute(uri: "/dashboard", method: .get, headers: session.headers) { page in
                    #expect(page.status == .ok)
                    #expect(String(buffer: page.body).contains("admin · admin"))
                }
            }
        }
    }

    @Test func productionCookiesAreSecure() throws {
        let config = try AppConfig.load(environment: [
            "APP_ENV": "production", "TWS_HOST": "hwa.example.com", "TWS_USER": "ro", "TWS_PASSWORD": "pw",
            "RESYNC_ADMIN_USER": "ops", "RESYNC_ADMIN_PASSWORD_HASH": WebHarness.adminHash,
        ])
        let configuration = WebAuthConfiguration.from(config)
        #expect(configuration.secureCookies)
        #expect(configuration.generatedAdminUser == nil)
        #expect(configuration.users.map(\.user) == ["ops"])
    }

    @Test func wrongPasswordIsRefused() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let response = try await WebTestClient.postLogin(client, user: "admin", password: "nope")
                #expect(response.status == .unauthorized)
                #expect(WebTestClient.setCookie(response, named: WebAuth.sessionCookieName) == nil)
                #expect(
                    String(buffer: response.body).contains("Wrong user name or password")
                        || String(buffer: response.body).contains("Usuário ou senha incorretos"))
            }
        }
    }

    @Test func loginFormWithoutItsTokenIsRefused() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let response = try await WebTestClient.postLogin(
                    client, user: "admin", password: WebHarness.adminPassword, tamperToken: true)
                #expect(response.status == .forbidden)
                #expect(WebTestClient.setCookie(response, named: WebAuth.sessionCookieName) == nil)
            }
        }
    }

    @Test func repeatedFailuresAreThrottledEvenWithTheRightPassword() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                for _ in 0..<5 {
                    _ = try await WebTestClient.postLogin(client, user: "admin", password: "guess")
                }
                let blocked = try await WebTestClient.postLogin(
                    client, user: "admin", password: WebHarness.adminPassword)
                #expect(blocked.status == .tooManyRequests)
                #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 > 0)
                // Another user from the same address is not locked out by someone else's guesses.
                let other = try await WebTestClient.postLogin(
                    client, user: "viewer", password: WebHarness.viewerPassword)
                #expect(other.status == .seeOther)
                harness.clock.advance(by: 3600)
                let later = try await WebTestClient.postLogin(client, user: "admin", password: WebHarness.adminPassword)
                #expect(later.status == .seeOther)
            }
        }
    }

    @Test func logoutNeedsTheCSRFTokenAndEndsTheSession() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let session = try await WebTestClient.login(client)
                let form = "application/x-www-form-urlencoded"
                try await client.execute(
                    uri: "/logout", method: .post, headers: session.headers(csrf: nil, contentType: form),
                    body: ByteBuffer(string: "x=1")
                ) { #expect($0.status == .forbidden) }
                try await client.execute(
                    uri: "/logout", method: .post, headers: session.headers(csrf: nil, contentType: form),
                    body: ByteBuffer(string: "_csrf=\(WebTestClient.encode(session.csrf))")
                ) { response in
                    #expect(response.status == .seeOther)
                    #expect(
                        WebTestClient.setCookie(response, named: WebAuth.sessionCookieName)?.contains("Max-Age=0")
                            == true)
                }
                try await client.execute(uri: "/api/dashboard", method: .get, headers: session.headers) {
                    #expect($0.status == .unauthorized)
                }
            }
        }
    }

    @Test("unsafe API calls need the session's CSRF token", arguments: [nil, "wrong-token"])
    func csrfIsEnforced(token: String?) async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let session = try await WebTestClient.login(client)
                try await client.execute(
                    uri: "/api/feedback", method: .post, headers: session.headers(csrf: token),
                    body: ByteBuffer(string: #"{"answerId":"a-1","polarity":"positive"}"#)
                ) { #expect($0.status == .forbidden) }
                #expect(try await harness.votes.recent(since: .distantPast, limit: 10).isEmpty)
            }
        }
    }

    @Test func adminRoutesRefuseViewers() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let viewer = try await WebTestClient.login(client, user: "viewer", password: WebHarness.viewerPassword)
                try await client.execute(uri: "/revisao", method: .get, headers: viewer.headers) {
                    #expect($0.status == .forbidden)
                }
                try await client.execute(uri: "/dashboard", method: .get, headers: viewer.headers) {
                    #expect($0.status == .ok)
                }
                let admin = try await WebTestClient.login(client)
                try await client.execute(uri: "/revisao", method: .get, headers: admin.headers) {
                    #expect($0.status == .ok)
                }
            }
        }
    }

    @Test func metricsCanRequireABearerToken() async throws {
        try await WebHarness.with(environment: ["RESYNC_METRICS_TOKEN": "scrape-me-please"]) { harness in
            try await harness.application().test(.router) { client in
                for path in ["/metrics", "/api/metrics"] {
                    try await client.execute(uri: path, method: .get) { response in
                        #expect(response.status == .unauthorized)
                        #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="resync""#)
                    }
                    try await client.execute(
                        uri: path, method: .get, headers: [.authorization: "Bearer wrong"]
                    ) { #expect($0.status == .unauthorized) }
                    for scheme in ["Bearer", "bearer", "BEARER"] {
                        try await client.execute(
                            uri: path, method: .get, headers: [.authorization: "\(scheme) scrape-me-please"]
                        ) { #expect($0.status == .ok, "\(scheme)") }
                    }
                }
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            }
        }
    }

    static let apiToken = "api-token-0123456789abcdef0123456789"

    @Test(
        "the API token opens every API route, whatever the case of the scheme",
        arguments: ["Bearer", "bearer", "BEARER", "bEaReR"])
    func apiTokenSchemeIsCaseInsensitive(scheme: String) async throws {
        try await WebHarness.with(environment: ["RESYNC_API_TOKEN": Self.apiToken]) { harness in
            try await harness.application().test(.router) { client in
                let headers: HTTPFields = [.authorization: "\(scheme) \(Self.apiToken)"]
                for path in ["/api/dashboard", "/api/memories"] {
                    try await client.execute(uri: path, method: .get, headers: headers) {
                        #expect($0.status == .ok, "\(path)")
                    }
                }
                // The harness has no scheduler behind the agent routes: past the login they answer 503, not 401.
                for path in ["/api/jobs/PAYROLL_FINAL", "/api/failures?since=3h", "/api/health-summary"] {
                    try await client.execute(uri: path, method: .get, headers: headers) {
                        #expect($0.status == .serviceUnavailable, "\(path)")
                    }
                }
            }
        }
    }

    @Test(
        "a 401 on the API carries a challenge and says whether a bearer token was refused",
        arguments: [
            (nil, #"Bearer realm="resync""#, "log in first"),
            ("Bearer not-the-token", #"Bearer realm="resync", error="invalid_token""#, "bearer token was not accepted"),
            ("bearer not-the-token", #"Bearer realm="resync", error="invalid_token""#, "bearer token was not accepted"),
            ("Bearer ", #"Bearer realm="resync", error="invalid_token""#, "bearer token was not accepted"),
            ("Basic YWRtaW46YWRtaW4=", #"Bearer realm="resync""#, "log in first"),
        ] as [(String?, String, String)])
    func unauthorizedAPIResponses(authorization: String?, challenge: String, message: String) async throws {
        try await WebHarness.with(environment: ["RESYNC_API_TOKEN": Self.apiToken]) { harness in
            try await harness.application().test(.router) { client in
                var headers = HTTPFields()
                if let authorization { headers[.authorization] = authorization }
                for path in ["/api/health-summary", "/api/memories", "/dashboard/events"] {
                    try await client.execute(uri: path, method: .get, headers: headers) { response in
                        #expect(response.status == .unauthorized, "\(path)")
                        #expect(response.headers[.wwwAuthenticate] == challenge, "\(path)")
                        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                        let body = String(buffer: response.body)
                        #expect(body.contains(message) && body.contains("RESYNC_API_TOKEN"), "\(body)")
                        #expect(!body.contains(Self.apiToken))
                    }
                }
            }
        }
    }

    @Test func unsafeRedirectTargetsAreIgnored() {
        #expect(WebAuth.safeRedirectTarget("/dashboard") == "/dashboard")
        for hostile in ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", nil] {
            #expect(WebAuth.safeRedirectTarget(hostile) == "/")
        }
    }
}
