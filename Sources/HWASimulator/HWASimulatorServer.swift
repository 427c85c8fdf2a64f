import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The simulator as a `Service`: serves `HWASimulator` over HTTP. Bind it to port 0 and ask `baseURL()` for
/// the address it got (`http://127.0.0.1:<port>/twsd`) once it listens.
public struct HWASimulatorServer: Service {
    public let simulator: HWASimulator
    let host: String
    let port: Int
    let logger: Logger
    private let bound = BoundURL()

    public init(simulator: HWASimulator, host: String = "127.0.0.1", port: Int = 0, logger: Logger) {
        self.simulator = simulator
        self.host = host
        self.port = port
        self.logger = logger
    }

    public func run() async throws {
        let simulator = simulator
        let bound = bound
        let host = host
        let logger = logger
        let app = Application(
            router: SimulatorRouter.build(simulator),
            configuration: .init(address: .hostname(host, port: port), serverName: "hwa-simulator"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/twsd"
                await simulator.setPublicBaseURL(url)
                await bound.set(url)
                logger.info("HWA simulator listening", metadata: ["url": "\(url)"])
            },
            logger: logger)
        try await app.run()
    }

    /// Runs on its own (`resync mock-hwa`) until SIGTERM or SIGINT, then stops gracefully.
    public func runUntilSignalled() async throws {
        let group = ServiceGroup(
            configuration: .init(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The base URL (ending in `/twsd`) once the server listens; throws if it does not within `timeout`.
    public func baseURL(timeout: Duration = .seconds(15)) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if let url = await bound.url { return url }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw SimulatorServerError.notListening(seconds: Double(timeout.components.seconds))
    }
}

public enum SimulatorServerError: Error, Sendable, CustomStringConvertible {
    case notListening(seconds: Double)

    public var description: String {
        "the HWA simulator did not start listening within \(Int(seconds)) s (port in use or scenario error?)"
    }

    private var seconds: Double {
        switch self {
        case .notListening(let seconds): seconds
        }
    }
}

actor BoundURL {
    private(set) var url: String?

    func set(_ url: String) { self.url = url }
}
