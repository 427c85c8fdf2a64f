import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing
import Web

/// The real binary with a dashboard stream open: SIGTERM still ends the process promptly (streams end at
/// graceful shutdown instead of holding the server open).
@Suite("resync process with an open dashboard stream", .serialized)
struct DashboardShutdownTests {
    @Test func sigtermEndsOpenStreams() async throws {
        let port = try freeLoopbackPort()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resync-sse-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = RepositoryPaths.resyncExecutable
        process.arguments = ["serve"]
        process.currentDirectoryURL = RepositoryPaths.root
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "\(port)", "LOG_LEVEL": "warning",
            "DATABASE_URL": "sqlite://\(folder.path)/resync.sqlite",
            "RESYNC_ADMIN_USER": "admin", "RESYNC_ADMIN_PASSWORD_HASH": WebHarness.adminHash,
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        try await Self.waitUntilHealthy(base)
        let cookie = try await Self.login(base)

        var request = HTTPClientRequest(url: "\(base)/dashboard/events")
        request.headers.add(name: "Cookie", value: "\(WebAuth.sessionCookieName)=\(cookie)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status == .ok)
        var iterator = response.body.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first.map { String(buffer: $0) }?.contains("retry:") == true)

        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(8)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "resync kept running with a dashboard stream open")
        #expect(process.terminationStatus == 0)
    }

    static func waitUntilHealthy(_ base: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: "\(base)/healthz"), timeout: .seconds(1)),
                response.status == .ok
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("resync did not become healthy within 60 s")
    }

    /// The login form's token cookie, then the credentials; returns the session cookie's value.
    static func login(_ base: String) async throws -> String {
        let form = try await HTTPClient.shared.execute(HTTPClientRequest(url: "\(base)/login"), timeout: .seconds(10))
        let token = try #require(cookie(WebAuth.loginCSRFCookieName, in: form.headers))
        var post = HTTPClientRequest(url: "\(base)/login")
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        post.headers.add(name: "Cookie", value: "\(WebAuth.loginCSRFCookieName)=\(token)")
        let body =
            "user=admin&password=\(WebTestClient.encode(WebHarness.adminPassword))&_csrf=\(WebTestClient.encode(token))"
        post.body = .bytes(ByteBuffer(string: body))
        // The session cookie comes with the 303; a client that followed it would lose the cookie.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(post, timeout: .seconds(10))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(response.status == .seeOther)
        return try #require(cookie(WebAuth.sessionCookieName, in: response.headers))
    }

    static func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
        headers["Set-Cookie"].first { $0.hasPrefix("\(name)=") }
            .map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }
}
