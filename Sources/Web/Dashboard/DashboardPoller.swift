import Foundation
import Logging
import ResyncCore
import ServiceLifecycle

/// Refreshes the dashboard every `interval` and sends heartbeats every `heartbeatInterval`, as one Service.
/// Rendering happens here, once per refresh, not once per client.
public struct DashboardPoller: Service {
    public let collector: DashboardCollector
    public let hub: DashboardHub
    public let renderer: DashboardRenderer
    public let interval: Duration
    public let heartbeatInterval: Duration
    let time: any TimeSource
    let logger: Logger
    /// Extra work done on each refresh (session housekeeping), errors logged.
    let housekeeping: (@Sendable () async throws -> Void)?

    public init(
        collector: DashboardCollector, hub: DashboardHub, renderer: DashboardRenderer,
        interval: Duration = .seconds(10),
        heartbeatInterval: Duration = .seconds(15), logger: Logger,
        housekeeping: (@Sendable () async throws -> Void)? = nil
    ) {
        self.collector = collector
        self.hub = hub
        self.renderer = renderer
        self.interval = interval
        self.heartbeatInterval = heartbeatInterval
        self.time = collector.sources.time
        self.logger = logger
        self.housekeeping = housekeeping
    }

    /// One refresh: collect, render, publish. Tests call it directly.
    @discardableResult
    public func refresh() async -> DashboardFrame {
        let previous = await hub.currentFrame.snapshot
        let snapshot = await collector.collect(previous: previous)
        let frame = await hub.publish(snapshot: snapshot, fragments: renderer.fragments(for: snapshot))
        if !snapshot.engine.reachable {
            logger.debug("dashboard poll without HWA", metadata: ["problem": "\(snapshot.engine.problem ?? "")"])
        }
        return frame
    }

    public func run() async throws {
        // Streams end on their own at graceful shutdown (the HTTP server stops first); this ends any left over.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await refreshLoop() }
                group.addTask { await heartbeatLoop() }
                await group.waitForAll()
            }
        }
        await hub.finishAll()
    }

    private func refreshLoop() async {
        var tick = 0
        while !Task.isCancelled {
            await refresh()
            tick += 1
            // Not on the first tick: migrations may still be running while the server starts.
            if let housekeeping, tick % 30 == 0 {
                do { try await housekeeping() } catch {
                    logger.warning("dashboard housekeeping failed", metadata: ["error": "\(error)"])
                }
            }
            do { try await time.sleep(for: interval) } catch { return }
        }
    }

    private func heartbeatLoop() async {
        while !Task.isCancelled {
            do { try await time.sleep(for: heartbeatInterval) } catch { return }
            await hub.heartbeat()
        }
    }
}
