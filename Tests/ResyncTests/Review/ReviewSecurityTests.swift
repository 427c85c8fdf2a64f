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

/// Who may reach `/revisao` and `/api/memories`: nobody anonymous, no viewer, no browser without its CSRF token.
@Suite("Review page and memory API: access control")
struct ReviewSecurityTests {
    static let memoryID = "mem-1"

    /// Every review route, with a body that would be valid for an admin.
    static let routes: [(method: HTTPRequest.Method, uri: String, body: String)] = [
        (.get, "/revisao", ""),
        (.post, "/revisao/\(memoryID)/approve", "back=%2Frevisao"),
        (.post, "/revisao/\(memoryID)/reject", "confirmed=yes"),
        (.post, "/revisao/\(memoryID)/delete", "confirmed=yes"),
        (.post, "/revisao/\(memoryID)/restore", ""),
        (.post, "/revisao/\(memoryID)/edit", "text=fixed"),
        (.get, "/api/memories", ""),
        (.get, "/api/memories/\(memoryID)", ""),
        (.put, "/api/memories/\(memoryID)", #"{"text":"fixed"}"#),
        (.post, "/api/memories/\(memoryID)/approve", #"{"reason":"ok"}"#),
        (.post, "/api/memories/\(memoryID)/reject", #"{"reason":"no"}"#),
        (.post, "/api/memories/\(memoryID)/restore", ""),
        (.post, "/api/memories/\(memoryID)/delete", ""),
    ]

    static func seed(_ harness: WebHarness, text: String = "Restart the agent on CPU_PROD1") async throws {
        try await harness.memories.record(
            Memory(
                id: memoryID, kind: .knownSolution, jobName: "PAYROLL_FINAL", text: text, author: "ana",
                createdAt: harness.clock.now()))
    }

    static func contentType(_ uri: String) -> String {
        uri.hasPrefix("/api/") ? "application/json" : "application/x-www-form-urlencoded"
    }

    @Test func anonymousIsRedirectedOrRefused() async throws {
        try await WebHarness.with { harness in
            try await Self.seed(harness)
            try await harness.application().test(.router) { client in
                for route in Self.routes {
                    let status = try await client.execute(
                        uri: route.uri, method: route.method,
                        headers: [.accept: "text/html", .contentType: Self.contentType(route.uri)],
                        body: ByteBuffer(string: route.body)
                    ) { $0.status }
                    let expected: HTTPResponse.Status =
                        route.method == .get && !route.uri.hasPrefix("/api/") ? .found : .unauthorized
                    #expect(status == expected, "\(route.method) \(route.uri)")
                }
            }
            #expect(try await harness.memories.memory(id: Self.memoryID)?.status == .active)
        }
    }

    @Test func viewersAreForbidden() async throws {
        try await WebHarness.with { harness in
            try await Self.seed(harness)
            try await harness.application().test(.router) { client in
                let viewer = try await WebTestClient.login(
                    client, user: "viewer", password: WebHarness.viewerPassword)
                for route in Self.routes {
                    let status = try await client.execute(
                        uri: route.uri, method: route.method,
                        headers: viewer.headers(csrf: viewer.csrf, contentType: Self.contentType(route.uri)),
                        body: ByteBuffer(string: route.body)
                    ) { $0.status }
                    #expect(status == .forbidden, "\(route.method) \(route.uri)")
                }
                let home = try await client.execute(uri: "/", method: .get, headers: viewer.headers) {
                    String(buffer: $0.body)
                }
                #expect(!home.contains("href=\"/revisao\""))
            }
            #expect(try await harness.memories.memory(id: Self.memoryID)?.status == .active)
        }
    }

    @Test(arguments: [nil, "wrong-token"])
    func adminWithoutTheRightCSRFTokenIsForbidden(token: String?) async throws {
        try await WebHarness.with { harness in
            try await Self.seed(harness)
            try await harness.application().test(.router) { client in
                let admin = try await WebTestClient.login(client)
                for route in Self.routes where route.method != .get {
                    let status = try await client.execute(
                        uri: route.uri, method: route.method,
                        headers: admin.headers(csrf: token, contentType: Self.contentType(route.uri)),
                        body: ByteBuffer(string: route.body)
                    ) { $0.status }
                    #expect(status == .forbidden, "\(route.method) \(route.uri)")
                }
            }
            let memory = try #require(try await harness.memories.memory(id: Self.memoryID))
            #expect(memory.status == .active)
            #expect(memory.text == "Restart the agent on CPU_PROD1")
        }
    }

    @Test func scriptInAMemoryIsEscaped() async throws {
        try await WebHarness.with { harness in
            let attack = "<script>alert('x')</script> & \"quoted\""
            try await harness.memories.record(
                Memory(
                    id: "mem-xss", kind: .answeredQuestion, jobName: "<b>JOB</b>", question: "<img src=x onerror=1>",
                    text: attack, author: "<i>eve</i>", sourceLink: "javascript:alert(1)",
                    auditorScore: 0.7, auditorReason: "<script>reason</script>", createdAt: harness.clock.now()))
            try await harness.application().test(.router) { client in
                let admin = try await WebTestClient.login(client)
                let page = try await client.execute(uri: "/revisao", method: .get, headers: admin.headers) {
                    String(buffer: $0.body)
                }
                #expect(!page.contains("<script>"))
                #expect(!page.contains("<img src=x"))
                #expect(!page.contains("<b>JOB</b>"))
                #expect(!page.contains("javascript:alert"))
                #expect(page.contains("&lt;script&gt;alert("))
                #expect(page.contains("&lt;b&gt;JOB&lt;/b&gt;"))
                let confirm = try await client.execute(
                    uri: "/revisao/mem-xss/delete", method: .post,
                    headers: admin.headers(csrf: admin.csrf, contentType: "application/x-www-form-urlencoded"),
                    body: ByteBuffer(string: "back=%2Frevisao")
                ) { String(buffer: $0.body) }
                #expect(confirm.contains("&lt;script&gt;alert("))
                #expect(!confirm.contains("<script>"))
            }
            #expect(try await harness.memories.memory(id: "mem-xss")?.status == .active)
        }
    }

    @Test func adminAPITokenActsAsAdminAndAWrongOneIsRefused() async throws {
        let token = "api-token-0123456789abcdef0123456789"
        try await WebHarness.with(environment: ["RESYNC_API_TOKEN": token]) { harness in
            try await Self.seed(harness)
            try await harness.application().test(.router) { client in
                let wrong = try await client.execute(
                    uri: "/api/memories", method: .get, headers: [.authorization: "Bearer not-\(token)"]
                ) { $0.status }
                #expect(wrong == .unauthorized)
                let wrongPost = try await client.execute(
                    uri: "/api/memories/\(Self.memoryID)/approve", method: .post,
                    headers: [.authorization: "Bearer \(token)x"]
                ) { $0.status }
                #expect(wrongPost == .unauthorized)
                let list = try await client.execute(
                    uri: "/api/memories", method: .get, headers: [.authorization: "Bearer \(token)"]
                ) { ($0.status, String(buffer: $0.body)) }
                #expect(list.0 == .ok)
                #expect(list.1.contains(#""pending":1"#))
                let approve = try await client.execute(
                    uri: "/api/memories/\(Self.memoryID)/approve", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"reason":"checked with ops"}"#)
                ) { $0.status }
                #expect(approve == .ok)
                let ask = try await client.execute(
                    uri: "/api/ask", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"question":"status do job PAYROLL_FINAL"}"#)
                ) { $0.status }
                #expect(ask != .unauthorized && ask != .forbidden)
            }
            let log = try await harness.memories.auditLog(memoryID: Self.memoryID)
            #expect(log.last?.actor == "api-token")
            #expect(log.last?.reason == "checked with ops")
            #expect(try await harness.memories.memory(id: Self.memoryID)?.status == .approved)
        }
    }

    @Test func withoutAConfiguredTokenABearerIsNobody() async throws {
        try await WebHarness.with { harness in
            try await harness.application().test(.router) { client in
                let status = try await client.execute(
                    uri: "/api/memories", method: .get, headers: [.authorization: "Bearer "]
                ) { $0.status }
                #expect(status == .unauthorized)
            }
        }
    }
}
