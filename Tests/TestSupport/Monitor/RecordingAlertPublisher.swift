import Foundation
import ResyncCore
import Synchronization

/// An `AlertPublishing` that keeps what was published, idempotent per key like the outbox-backed one.
public final class RecordingAlertPublisher: AlertPublishing {
    public struct Post: Hashable, Sendable {
        public var key: String
        public var handle: String
        public var message: AlertMessage
        public var destination: AlertDestination
        /// The handle of the message this one replies under.
        public var parentHandle: String?
    }

    struct State {
        var posts: [Post] = []
        var byKey: [String: AlertMessageRef] = [:]
        var failuresLeft = 0
        var duplicateCalls = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// The next `count` publishes throw, as when the database behind the outbox is down.
    public func failNext(_ count: Int) {
        state.withLock { $0.failuresLeft = count }
    }

    public var posts: [Post] { state.withLock { $0.posts } }
    /// Publishes that repeated a key already queued (retries after a crash).
    public var duplicateCalls: Int { state.withLock { $0.duplicateCalls } }

    public func posts(_ kind: AlertMessage.Kind) -> [Post] { posts.filter { $0.message.kind == kind } }

    public func publish(
        _ message: AlertMessage, to destination: AlertDestination, inThreadOf parent: AlertMessageRef?, key: String
    ) async throws -> AlertMessageRef {
        try state.withLock { state in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw PublishFailure()
            }
            if let existing = state.byKey[key] {
                state.duplicateCalls += 1
                return existing
            }
            let reference = AlertMessageRef(destination: destination, handle: "h\(state.posts.count + 1)-\(key)")
            state.byKey[key] = reference
            state.posts.append(
                Post(
                    key: key, handle: reference.handle, message: message, destination: destination,
                    parentHandle: parent?.handle))
            return reference
        }
    }

    public struct PublishFailure: Error, CustomStringConvertible {
        public var description: String { "the outbox is unavailable (test)" }
    }
}

/// A diagnosis like the agent's composer gives: the KB procedure for the job and its owner.
public struct KnowledgeDiagnoser: FailureDiagnosing {
    public var delay: Duration

    public init(delay: Duration = .zero) {
        self.delay = delay
    }

    public func diagnose(_ job: Job, language: Language) async -> Answer {
        if delay > .zero { try? await Task.sleep(for: delay) }
        let entry = KnowledgeEntry(
            key: "kb-\(job.name)", jobPattern: job.name, title: "Procedure for \(job.name)",
            procedure: "Check the input file, then rerun \(job.name)", owner: "Team Payroll",
            contact: "payroll-oncall@example.com", source: KnowledgeSource(file: "knowledge_base.xlsx"))
        let rc = job.lastRun?.returnCode.map { " RC \($0)" } ?? ""
        return Answer(
            question: "alert \(job.qualifiedName)",
            parsed: ParsedQuestion(intent: .jobStatus, language: language, jobName: job.name),
            headline: "\(job.name) failed\(rc)",
            liveStatus: LiveStatusSection(freshness: .live(at: Date()), jobs: [JobSnapshot(job: job)]),
            diagnosis: DiagnosisSection(procedures: [KnowledgeMatch(entry: entry, score: 1, reasons: [.exactJob])]),
            owner: OwnerSection(owner: "Team Payroll", contacts: ["payroll-oncall@example.com"]),
            createdAt: Date())
    }
}

/// A clock a test sets; sleeping really waits (briefly, in loop tests) so tasks interleave.
public final class MonitorTestClock: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_764_129_600)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
