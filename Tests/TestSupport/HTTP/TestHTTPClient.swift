import AsyncHTTPClient
import NIOCore

/// The process-wide HTTP client for tests that call a fake platform server directly, in place of
/// `HTTPClient.shared`. The shared client keeps an idle connection for ten minutes, and the fake Mattermost
/// server (Hummingbird's WebSocket-upgrade channel) cannot close, on shutdown, a connection that has not sent its
/// first request: a spare connection the pool had opened kept the fake, and its test, waiting 600 s. Here an
/// idle connection is closed after one second. Harnesses that run the application use its own
/// `OutboundHTTPClient` instead, which is closed when the application stops.
public enum TestHTTPClient {
    public static let shared = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            tlsConfiguration: nil, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(30)),
            connectionPool: .init(idleTimeout: .seconds(1)), proxy: nil, ignoreUncleanSSLShutdown: false,
            decompression: .disabled))
}
