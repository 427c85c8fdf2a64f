import Foundation
import ResyncCore

/// What an entry found for a question may be used for in the answer. The knowledge base returns
/// everything that shares a word or a code with the question; only entries about the question's subject
/// may speak for it (owner, next step, headline).
public enum KnowledgeUse: Int, Sendable, Hashable, Comparable {
    /// About the question's job, job stream or workstation, and written for its error or for none; for a
    /// question about an error alone, an entry for that error. May be the next step and name the owner.
    case aboutSubject
    /// Written for the question's error without naming a job (`RC=12 em geral`): may be the next step,
    /// but its owner is not the owner of the job asked about.
    case aboutError
    /// About the question's job but written for another error (`RC=16` when the run ended `RC 12`): its
    /// owner is the job's owner, but its procedure fixes another failure. Listed below the others.
    case aboutOtherError
    /// Written for another job and found through a shared error code or job stream. Listed last.
    case related
    /// Shares only words with a question that names a job, job stream or error code: not shown.
    case unrelated

    public static func < (lhs: KnowledgeUse, rhs: KnowledgeUse) -> Bool { lhs.rawValue < rhs.rawValue }

    /// May be offered as what to do next.
    public var guides: Bool { self == .aboutSubject || self == .aboutError }
    /// May name the owner and contacts.
    public var namesOwner: Bool { self == .aboutSubject || self == .aboutOtherError }
}

/// What a question is about, as far as the knowledge base goes: the job, job stream and workstation it
/// names, and the error codes it names or the failed run ended with.
public struct KnowledgeSubject: Sendable, Hashable {
    public var jobName: String?
    public var jobStream: String?
    public var workstation: String?
    /// Normalised error signatures (`RC=12`, `S0C4`, `ABEND`).
    public private(set) var errorCodes: [String]

    public init(jobName: String? = nil, jobStream: String? = nil, workstation: String? = nil, errorCodes: [String] = [])
    {
        self.jobName = jobName
        self.jobStream = jobStream
        self.workstation = workstation
        self.errorCodes = Self.normalized(errorCodes)
    }

    /// The same subject with `codes` as its error codes when it had none: a failed run's return code stands
    /// in for the code the question did not name.
    public func assuming(errorCodes codes: [String]) -> KnowledgeSubject {
        guard errorCodes.isEmpty else { return self }
        var subject = self
        subject.errorCodes = Self.normalized(codes)
        return subject
    }

    /// The subject of a knowledge query; like the search, it also reads error codes written in the text.
    public init(query: KnowledgeQuery) {
        self.init(
            jobName: Self.nonBlank(query.jobName), jobStream: Self.nonBlank(query.jobStream),
            workstation: Self.nonBlank(query.workstation),
            errorCodes: query.errorCodes + ErrorCode.extract(from: query.text ?? ""))
    }

    /// True when the question names something other than words: a search by words alone has no subject, so
    /// whatever shares its words is the answer. `ABEND` alone counts as a word: it tells no entry apart.
    public var isNamed: Bool { names || errorCodes.contains { $0 != "ABEND" } }

    /// A job, job stream or workstation: what an owner is the owner of.
    var names: Bool { jobName != nil || jobStream != nil || workstation != nil }

    /// What `match` may be used for in an answer about this subject, from why it matched and what it was
    /// written for.
    public func use(of match: KnowledgeMatch) -> KnowledgeUse {
        guard isNamed else { return .aboutSubject }
        let structured = match.reasons.filter { $0 != .text && $0 != .semantic }
        guard !structured.isEmpty else { return .unrelated }
        let forAJob = match.entry.jobPattern != nil
        let byName = structured.contains { if case .errorCode = $0 { false } else { true } }
        let byJob = structured.contains {
            if case .exactJob = $0 { true } else if case .jobPattern = $0 { true } else { false }
        }
        if jobName != nil, forAJob, !byJob { return .related }
        if byName { return contradicts(match.entry.errorCodes) ? .aboutOtherError : .aboutSubject }
        // Found by its error code alone: another job's entry, or general know-how about the error.
        if forAJob { return names ? .related : .aboutError }
        return names ? .aboutError : .aboutSubject
    }

    /// True when `codes` (an entry's, or a known solution's) are all about errors other than the subject's.
    /// `ABEND` alone says only that a job abended, so it agrees with any code and any code agrees with it.
    public func contradicts(_ codes: [String]) -> Bool {
        let asked = Set(errorCodes).subtracting(["ABEND"])
        let written = Set(Self.normalized(codes))
        guard !asked.isEmpty, !written.isEmpty, !written.contains("ABEND") else { return false }
        return asked.isDisjoint(with: written)
    }

    /// The error codes of a known solution's signature (`ABEND RC=12` is about `RC=12`).
    static func codes(ofSignature signature: String?) -> [String] {
        guard let signature else { return [] }
        let extracted = ErrorCode.extract(from: signature)
        return extracted.isEmpty ? ErrorCode.normalize(signature).map { [$0] } ?? [] : extracted
    }

    static func normalized(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.compactMap(ErrorCode.normalize).filter { seen.insert($0).inserted }
    }

    static func nonBlank(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
