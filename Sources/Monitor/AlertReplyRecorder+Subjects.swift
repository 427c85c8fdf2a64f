import Foundation
import ResyncCore

extension AlertReplyRecorder: AlertThreadSubjects {
    /// A failure alert's thread is about its job and failure; a digest's thread is about many jobs, so nothing
    /// learned there can be filed under one.
    public func subject(threadHandle: String) async throws -> ThreadSubject? {
        guard case .alert(let alert) = try await store.threadOwner(handle: threadHandle) else { return nil }
        return ThreadSubject(
            source: .alert, jobName: alert.job.name, errorSignature: Self.errorSignature(of: alert.job))
    }
}
