import AsyncHTTPClient
import NIOCore
import ResyncCore
import ServiceLifecycle

/// The HTTP client for Resync's calls to chat platforms and LLM providers (HWA has its own, with its TLS
/// settings). The application owns it instead of using `HTTPClient.shared`: the shared client keeps idle
/// connections for ten minutes and is never shut down, so they outlived the application, and a peer that waits
/// for its connections to close before it stops waited those ten minutes (Hummingbird's WebSocket-upgrade server
/// cannot close a connection that has not sent its first request; test fakes of Mattermost stalled for 600 s).
///
/// Run it in the ServiceGroup before the services that use it: the group stops services in reverse order, so
/// the client closes its connections after the last of them has stopped.
public final class OutboundHTTPClient: Service, Sendable {
    public let client: HTTPClient
    private let shutdownOnce = OnceFlag()

    /// `connectTimeout` bounds each connection attempt; every request also carries its own deadline.
    /// Idle pooled connections are closed after `idleTimeout`. Redirects are not followed: these requests carry bot
    /// tokens and API keys, and none of the APIs redirects; a 3xx comes back as that status, naming the URL to fix.
    public init(connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60)) {
        let configuration = HTTPClient.Configuration(
            tlsConfiguration: nil, redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connectTimeout)),
            connectionPool: .init(idleTimeout: TimeAmount(idleTimeout)), proxy: nil, ignoreUncleanSSLShutdown: false,
            decompression: .disabled)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Creates a client and hands it to `build`, which puts it in a service group; if `build` throws, the client is
    /// shut down before the error goes up.
    public static func whileBuilding<T>(_ build: (OutboundHTTPClient) async throws -> T) async throws -> T {
        let outbound = OutboundHTTPClient()
        do {
            return try await build(outbound)
        } catch {
            try? await outbound.shutdown()
            throw error
        }
    }

    /// Holds the client open until the service group shuts down (or the task is cancelled), then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    /// Closes the pooled connections; later requests fail with `HTTPClientError.alreadyShutdown`. Safe to call
    /// more than once, and required before the client is released (AsyncHTTPClient checks it in debug builds).
    public func shutdown() async throws {
        if shutdownOnce.claim() { try await client.shutdown() }
    }
}
