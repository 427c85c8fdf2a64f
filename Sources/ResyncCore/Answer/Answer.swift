import Foundation

/// How fresh the live-status section is.
public enum Freshness: Hashable, Sendable, Codable {
    /// Read from HWA for this answer (or from a cache younger than its TTL).
    case live(at: Date)
    /// HWA could not be reached; the data shown (if any) is from `lastGood`.
    case unavailable(reason: String, lastGood: Date?)
}

/// A job as an answer shows it: facts from the scheduler, never from free text.
public struct JobSnapshot: Hashable, Sendable, Codable {
    public var job: Job
    /// The redacted tail of the last run's log, when the answer includes it.
    public var logTail: [String]?

    public init(job: Job, logTail: [String]? = nil) {
        self.job = job
        self.logTail = logTail
    }
}

/// The live-status part of an answer.
public struct LiveStatusSection: Hashable, Sendable, Codable {
    public var freshness: Freshness
    public var jobs: [JobSnapshot]
    public var jobStreams: [JobStream]

    public init(freshness: Freshness, jobs: [JobSnapshot] = [], jobStreams: [JobStream] = []) {
        self.freshness = freshness
        self.jobs = jobs
        self.jobStreams = jobStreams
    }
}

/// The environment health summary.
public struct HealthSummary: Hashable, Sendable, Codable {
    public var engine: EngineInfo?
    public var workstationsNeedingAttention: [Workstation]
    public var workstationCount: Int
    public var countsByStatus: [String: Int]
    public var recentFailures: [Job]
    public var topFailingStreams: [StreamFailureCount]

    public struct StreamFailureCount: Hashable, Sendable, Codable {
        public var jobStream: String
        public var failures: Int

        public init(jobStream: String, failures: Int) {
            self.jobStream = jobStream
            self.failures = failures
        }
    }

    public init(
        engine: EngineInfo?, workstationsNeedingAttention: [Workstation], workstationCount: Int,
        countsByStatus: [String: Int], recentFailures: [Job], topFailingStreams: [StreamFailureCount]
    ) {
        self.engine = engine
        self.workstationsNeedingAttention = workstationsNeedingAttention
        self.workstationCount = workstationCount
        self.countsByStatus = countsByStatus
        self.recentFailures = recentFailures
        self.topFailingStreams = topFailingStreams
    }
}

/// What the team knows: procedures from the knowledge base and known solutions from memory.
public struct DiagnosisSection: Hashable, Sendable, Codable {
    public var procedures: [KnowledgeMatch]
    public var knownSolutions: [Memory]

    public init(procedures: [KnowledgeMatch] = [], knownSolutions: [Memory] = []) {
        self.procedures = procedures
        self.knownSolutions = knownSolutions
    }

    public var isEmpty: Bool { procedures.isEmpty && knownSolutions.isEmpty }
}

/// Who owns the job and how to reach them.
public struct OwnerSection: Hashable, Sendable, Codable {
    public var owner: String
    public var contacts: [String]

    public init(owner: String, contacts: [String]) {
        self.owner = owner
        self.contacts = contacts
    }
}

public struct AnswerLink: Hashable, Sendable, Codable {
    public var title: String
    public var url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// Something the reader must know about how the answer was produced.
public enum AnswerNotice: Hashable, Sendable, Codable {
    /// HWA could not be reached; status may be missing or stale.
    case schedulerUnavailable(reason: String, lastGood: Date?)
    /// The knowledge base had nothing for this question.
    case noKnowledge
    case knowledgeUnavailable(reason: String)
    /// The name matched several jobs; the candidates are listed.
    case ambiguousJob(name: String, candidates: [String])
    /// No job by that name; close names are suggested.
    case unknownJob(name: String, suggestions: [String])
    /// A change to HWA was asked for; Resync is read-only.
    case declinedWrite
    /// The question was not understood; help is shown.
    case notUnderstood
    /// The channel's access policy hides the object asked about.
    case accessDenied
    /// The LLM failed and the deterministic answer is shown.
    case llmFallback(reason: String)
}

/// Where a piece of the answer came from, with an id a reviewer can look up.
public struct SourceRef: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable { case scheduler, knowledge, memory }

    public var kind: Kind
    public var id: String
    public var title: String

    public init(kind: Kind, id: String, title: String) {
        self.kind = kind
        self.id = id
        self.title = title
    }
}

/// The one consolidated reply to a question, rendered by each platform adapter and by `/api/ask`.
public struct Answer: Hashable, Sendable, Codable {
    public var id: String
    public var question: String
    public var parsed: ParsedQuestion
    /// One line that says the essential ("PAYROLL_FINAL failed with RC 12 at 03:12 UTC").
    public var headline: String
    public var liveStatus: LiveStatusSection?
    public var health: HealthSummary?
    public var diagnosis: DiagnosisSection
    public var owner: OwnerSection?
    public var links: [AnswerLink]
    public var nextStep: String?
    /// Free-form explanation (help text, LLM prose); never the source of a status.
    public var body: String?
    public var notices: [AnswerNotice]
    public var sources: [SourceRef]
    public var createdAt: Date
    public var elapsedMilliseconds: Double?
    /// The IANA zone the answer's texts give times in (`RESYNC_TIME_ZONE`); renderers show the other times of
    /// the answer (run start and end, freshness) in it too. Nil (an answer stored before the field existed, or
    /// one with no times) renders in UTC.
    public var timeZone: String?

    public init(
        id: String = UUID().uuidString, question: String, parsed: ParsedQuestion, headline: String,
        liveStatus: LiveStatusSection? = nil, health: HealthSummary? = nil,
        diagnosis: DiagnosisSection = DiagnosisSection(), owner: OwnerSection? = nil, links: [AnswerLink] = [],
        nextStep: String? = nil, body: String? = nil, notices: [AnswerNotice] = [], sources: [SourceRef] = [],
        createdAt: Date, elapsedMilliseconds: Double? = nil, timeZone: String? = nil
    ) {
        self.id = id
        self.question = question
        self.parsed = parsed
        self.headline = headline
        self.liveStatus = liveStatus
        self.health = health
        self.diagnosis = diagnosis
        self.owner = owner
        self.links = links
        self.nextStep = nextStep
        self.body = body
        self.notices = notices
        self.sources = sources
        self.createdAt = createdAt
        self.elapsedMilliseconds = elapsedMilliseconds
        self.timeZone = timeZone
    }

    public var language: Language { parsed.language }

    /// The zone to show the answer's times in: `timeZone`, or UTC when it is unset or unknown.
    public var displayTimeZone: TimeZone {
        timeZone.flatMap(TimeZone.init(identifier:)) ?? .gmt
    }
}

/// Turns a question into an answer. The agent implements it; chat platforms and the web call it.
public protocol QuestionAnswering: Sendable {
    /// Answers `question`; `context` carries the conversation (for thread follow-ups) and the
    /// preferred language. Never throws for a bad question: it answers with help instead.
    func answer(_ question: String, context: QuestionContext) async -> Answer
}

/// Who asks, where, and what the thread was about.
public struct QuestionContext: Hashable, Sendable, Codable {
    public var conversation: ConversationRef?
    public var user: String?
    /// Language to use when the question's own language cannot be told.
    public var preferredLanguage: Language?
    /// The job the thread was last about, for follow-ups ("and the log?").
    public var threadJobName: String?
    /// False when the message did not address Resync (see `InboundWorkItem.addressed`): the agent then spends no
    /// LLM call on a message whose intent does not answer unaddressed, since no reply will be sent.
    public var addressed: Bool
    /// What the conversation may see (the chat access policy); nil means everything. The agent reads and composes
    /// from the visible objects only, so headlines, counts and sources never mention a hidden one.
    public var access: AccessScope?

    public init(
        conversation: ConversationRef? = nil, user: String? = nil, preferredLanguage: Language? = nil,
        threadJobName: String? = nil, addressed: Bool = true, access: AccessScope? = nil
    ) {
        self.conversation = conversation
        self.user = user
        self.preferredLanguage = preferredLanguage
        self.threadJobName = threadJobName
        self.addressed = addressed
        self.access = access
    }
}
