import Foundation
import ResyncCore

/// Keeps operators' replies in alert threads as candidate known solutions (the auditor promotes the
/// ✅-marked ones). The chat ingress calls it for each thread reply that is not the bot's own.
public struct AlertReplyRecorder: AlertReplySink {
    let store: any AlertStateStore

    public init(store: any AlertStateStore) {
        self.store = store
    }

    public func operatorReplied(_ reply: AlertThreadReply) async throws -> Bool {
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, let owner = try await store.threadOwner(handle: reply.threadHandle) else { return false }
        let candidate: CandidateSolution
        switch owner {
        case .alert(let alert):
            candidate = CandidateSolution(
                alertID: alert.id, digestID: alert.digestID, jobName: alert.job.name,
                errorSignature: Self.errorSignature(of: alert.job), author: reply.author, text: Redactor.redact(text),
                conversation: reply.conversation, receivedAt: reply.receivedAt)
        case .digest(let digest):
            candidate = CandidateSolution(
                alertID: nil, digestID: digest.id, jobName: nil, errorSignature: nil, author: reply.author,
                text: Redactor.redact(text), conversation: reply.conversation, receivedAt: reply.receivedAt)
        }
        try await store.addCandidateSolution(candidate)
        return true
    }

    /// `ABEND RC=12`: the failing status and return code, the way the knowledge base keys errors.
    static func errorSignature(of job: Job) -> String {
        job.failureSignature
    }
}

/// The lease of a single instance (SQLite): it always leads. Run one Resync process per SQLite database.
public struct SingleInstanceLease: LeaderLease {
    public init() {}

    public func whileLeading(_ work: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        try await work()
        return true
    }
}
