import Foundation
import ResyncCore

/// One published state of the dashboard: the snapshot and its rendered HTML per language, rendered once and
/// shared by every client.
public struct DashboardFrame: Sendable {
    /// SSE event id, `<process epoch>-<sequence>`; a reconnect presenting the current id is not sent it again.
    public let id: String
    public let snapshot: DashboardSnapshot
    public let fragments: [Language: String]
}

/// What a dashboard stream receives.
public enum DashboardEvent: Sendable {
    case frame(DashboardFrame)
    case heartbeat
}

/// Fans frames out to the connected event streams. Each client has a bounded buffer; a client that falls behind
/// by more than `clientBuffer` events is dropped (its stream ends), so one slow reader never slows the others
/// or grows memory. At most `maxClients` streams are open at once.
public actor DashboardHub {
    public struct Subscription: Sendable {
        public let id: UUID
        public let events: AsyncStream<DashboardEvent>
        public let current: DashboardFrame
    }

    struct Client {
        var events: AsyncStream<DashboardEvent>.Continuation
    }

    public let maxClients: Int
    public let clientBuffer: Int
    private let epoch: String
    private var sequence = 0
    private var current: DashboardFrame
    private var clients: [UUID: Client] = [:]
    public private(set) var droppedClients = 0

    public init(initial: DashboardFrame? = nil, maxClients: Int = 1_000, clientBuffer: Int = 16) {
        self.maxClients = max(1, maxClients)
        self.clientBuffer = max(1, clientBuffer)
        let epoch = String(UInt32.random(in: .min ... .max), radix: 36)
        self.epoch = epoch
        if let initial {
            self.current = initial
        } else {
            self.current = DashboardFrame(
                id: "\(epoch)-0", snapshot: .initial(at: Date(), failureWindowHours: 6), fragments: [:])
        }
    }

    public var currentFrame: DashboardFrame { current }
    public var clientCount: Int { clients.count }

    /// Opens a stream, or returns nil when `maxClients` streams are already open.
    public func subscribe() -> Subscription? {
        guard clients.count < maxClients else { return nil }
        let id = UUID()
        let (events, eventsContinuation) = AsyncStream.makeStream(
            of: DashboardEvent.self, bufferingPolicy: .bufferingOldest(clientBuffer))
        clients[id] = Client(events: eventsContinuation)
        return Subscription(id: id, events: events, current: current)
    }

    public func unsubscribe(_ id: UUID) {
        guard let client = clients.removeValue(forKey: id) else { return }
        client.events.finish()
    }

    /// Makes `snapshot` (rendered as `fragments`) the current frame and sends it to every client.
    @discardableResult
    public func publish(snapshot: DashboardSnapshot, fragments: [Language: String]) -> DashboardFrame {
        sequence += 1
        current = DashboardFrame(id: "\(epoch)-\(sequence)", snapshot: snapshot, fragments: fragments)
        broadcast(.frame(current))
        return current
    }

    /// Sends a comment line to every client so proxies and browsers keep the connection open.
    public func heartbeat() {
        broadcast(.heartbeat)
    }

    /// Ends every stream (graceful shutdown).
    public func finishAll() {
        for id in Array(clients.keys) { unsubscribe(id) }
    }

    private func broadcast(_ event: DashboardEvent) {
        for (id, client) in clients {
            switch client.events.yield(event) {
            case .enqueued: continue
            case .dropped, .terminated:
                // The buffer is full (a slow reader) or the reader is gone: drop it instead of waiting for it.
                clients[id] = nil
                client.events.finish()
                droppedClients += 1
            @unknown default:
                continue
            }
        }
    }
}
