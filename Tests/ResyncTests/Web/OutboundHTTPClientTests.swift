import AsyncHTTPClient
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing
import Web

/// The application's client for chat platforms and LLM providers closes its pooled connections when the
/// application stops. With `HTTPClient.shared` they stayed open for ten minutes, and the fake Mattermost server
/// waited for one of them for 600 s after its test had finished.
@Suite("The application's outbound HTTP client")
struct OutboundHTTPClientTests {
    /// Remembers the server side of each connection a request came in on.
    struct ConnectionContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    final class Connections: Sendable {
        let channels = Mutex<[any Channel]>([])
    }

    static func server(recording connections: Connections) -> some ApplicationProtocol {
        let router = Router(context: ConnectionContext.self)
        router.get("ping") { _, context -> String in
            connections.channels.withLock { $0.append(context.channel) }
            return "pong"
        }
        router.get("moved") { _, _ in
            Response(status: .found, headers: [.location: "/ping", .contentLength: "0"])
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: TestLogging.quiet("test.outbound-peer"))
    }

    @Test func stoppingTheServiceGroupClosesThePooledConnections() async throws {
        let connections = Connections()
        try await Self.server(recording: connections).test(.live) { peer in
            let url = "http://127.0.0.1:\(try #require(peer.port))/ping"
            let outbound = OutboundHTTPClient(idleTimeout: .seconds(300))
            let group = ServiceGroup(
                services: [outbound], gracefulShutdownSignals: [], logger: TestLogging.quiet("test.outbound"))
            try await withThrowingTaskGroup { tasks in
                tasks.addTask { try await group.run() }
                let response = try await outbound.client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
                #expect(response.status == .ok)
                _ = try await response.body.collect(upTo: 1 << 10)
                let channel = try #require(connections.channels.withLock { $0.first })
                // Kept alive in the pool for reuse while the application runs.
                try await Task.sleep(for: .milliseconds(200))
                #expect(channel.isActive)

                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                // The peer sees the connection closed at once, not after the pool's 300 s idle timeout.
                #expect(await eventually(timeout: .seconds(10)) { !channel.isActive })
            }
            await #expect(throws: HTTPClientError.alreadyShutdown) {
                _ = try await outbound.client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            }
        }
    }

    /// The requests carry bot tokens and API keys: a redirect comes back as what it is, not followed elsewhere.
    @Test func redirectsAreNotFollowed() async throws {
        let connections = Connections()
        try await Self.server(recording: connections).test(.live) { peer in
            let url = "http://127.0.0.1:\(try #require(peer.port))/moved"
            let outbound = OutboundHTTPClient()
            let status: HTTPResponseStatus
            do {
                status = try await outbound.client.execute(HTTPClientRequest(url: url), timeout: .seconds(10)).status
            } catch {
                try await outbound.shutdown()
                throw error
            }
            try await outbound.shutdown()
            #expect(status == .found)
            #expect(connections.channels.withLock { $0.isEmpty })
        }
    }

    @Test func aFailedBuildShutsTheClientDownBeforeTheErrorGoesUp() async throws {
        struct BuildFailed: Error {}
        let built = Mutex<OutboundHTTPClient?>(nil)
        await #expect(throws: BuildFailed.self) {
            try await OutboundHTTPClient.whileBuilding { outbound in
                built.withLock { $0 = outbound }
                throw BuildFailed()
            }
        }
        let outbound = try #require(built.withLock { $0 })
        await #expect(throws: HTTPClientError.alreadyShutdown) {
            _ = try await outbound.client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/"), timeout: .seconds(1))
        }
    }
}
