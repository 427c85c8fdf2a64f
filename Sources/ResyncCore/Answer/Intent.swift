import Foundation

/// What the operator asked for, after understanding.
public enum Intent: String, Hashable, Sendable, Codable, CaseIterable {
    case jobStatus = "job_status"
    case failedJobs = "failed_jobs"
    case healthSummary = "health_summary"
    case jobStreamStatus = "job_stream_status"
    case jobLog = "job_log"
    case whyWaiting = "why_waiting"
    /// Who owns / how to fix: answered from knowledge only.
    case knowledge = "knowledge"
    /// A request to change something in HWA; always declined.
    case writeRequest = "write_request"
    case help = "help"
    /// `learn <text>`: teach a known solution. The chat core handles it inside a thread; the agent only
    /// explains how to use it when it arrives without one.
    case learn = "learn"
    case unknown = "unknown"

    /// Whether a message that did not address Resync (a thread reply without a mention) gets an answer with this
    /// intent: only questions Resync reads an answer for. Operators talking to each other in the thread ("ok, I'll
    /// rerun it tomorrow", "thanks") would otherwise get the not-understood help or a refusal every time.
    public var answersUnaddressed: Bool {
        switch self {
        case .jobStatus, .failedJobs, .healthSummary, .jobStreamStatus, .jobLog, .whyWaiting, .knowledge: true
        case .writeRequest, .help, .learn, .unknown: false
        }
    }
}

/// A time window such as "last 3 hours", "today" or "since 14:00".
public struct TimeWindow: Hashable, Sendable, Codable {
    public var start: Date
    public var end: Date?
    /// How the user said it, for echoing back ("3h", "hoje", "since 2pm").
    public var label: String

    public init(start: Date, end: Date? = nil, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }

    /// `90m`, `24h`, `2d`: a window given as a duration, labelled as a user would write it.
    public static func label(for duration: Duration) -> String {
        let minutes = Int(duration.components.seconds / 60)
        if minutes % (24 * 60) == 0 && minutes > 24 * 60 { return "\(minutes / (24 * 60))d" }
        return minutes % 60 == 0 ? "\(minutes / 60)h" : "\(minutes)m"
    }
}

/// A question after understanding: the structured request the agent acts on.
public struct ParsedQuestion: Hashable, Sendable, Codable {
    public var intent: Intent
    public var language: Language
    public var jobName: String?
    public var jobStream: String?
    public var window: TimeWindow?
    /// Lines of log requested (`log JOB 50`).
    public var lineCount: Int?
    /// Free text left for knowledge search (`kb TEXT`, or the question itself).
    public var text: String?
    /// Error signature mentioned in the question (`RC=12`, `S0C4`, `abend`).
    public var errorCode: String?

    public init(
        intent: Intent, language: Language, jobName: String? = nil, jobStream: String? = nil,
        window: TimeWindow? = nil, lineCount: Int? = nil, text: String? = nil, errorCode: String? = nil
    ) {
        self.intent = intent
        self.language = language
        self.jobName = jobName
        self.jobStream = jobStream
        self.window = window
        self.lineCount = lineCount
        self.text = text
        self.errorCode = errorCode
    }
}
