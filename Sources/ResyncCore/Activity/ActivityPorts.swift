import Foundation

/// A proactive alert or a recovery follow-up, as the dashboard lists it.
public struct AlertActivity: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable { case alert, recovery }

    public var kind: Kind
    public var jobName: String
    /// One line: "PAYROLL_FINAL failed with RC 12", "PAYROLL_FINAL recovered after rerun".
    public var summary: String
    public var at: Date

    public init(kind: Kind, jobName: String, summary: String, at: Date) {
        self.kind = kind
        self.jobName = jobName
        self.summary = summary
        self.at = at
    }
}

/// Where the monitor reports the alerts and recoveries it posts, so the dashboard can show them.
public protocol AlertActivityRecording: Sendable {
    /// Records one alert or recovery; never throws (activity is informational).
    func record(_ activity: AlertActivity) async
}

/// Where the chat core and the web record answered questions and feedback, for the dashboard's bot activity.
public protocol BotActivityRecording: Sendable {
    /// One answered question on `platform`, with how long the answer took.
    func recordAnswer(platform: ChatPlatformKind, latencyMilliseconds: Double) async
    /// One 👍 or 👎 on an answer.
    func recordFeedback(_ polarity: Feedback.Polarity) async
}

/// A 👍/👎 given in the web chat on one answer.
public struct WebAnswerFeedback: Hashable, Sendable, Codable {
    /// The one signal a web vote is stored under (its polarity changes, the vote stays one).
    public static let voteSignal = "vote"

    public var answerID: String
    public var feedback: Feedback

    public init(answerID: String, feedback: Feedback) {
        self.answerID = answerID
        self.feedback = feedback
    }
}

/// An answer `POST /api/ask` gave, remembered so that a vote on it can be told from a vote on a made-up id.
public struct WebAnswerRecord: Hashable, Sendable, Codable {
    public var answerID: String
    /// Who asked (the web user, or `api-token`).
    public var user: String
    public var jobName: String?
    public var at: Date

    public init(answerID: String, user: String, jobName: String?, at: Date) {
        self.answerID = answerID
        self.user = user
        self.jobName = jobName
        self.at = at
    }
}

/// What a web vote did to the user's standing vote on the answer.
public enum WebVoteOutcome: Hashable, Sendable {
    /// The user's first vote on this answer.
    case new
    /// The user had voted the other way; this vote replaces that one.
    case changed(from: Feedback.Polarity)
    /// The same vote again: nothing changed.
    case unchanged
}

/// Why a web vote was refused.
public enum WebFeedbackError: Error, Hashable, Sendable {
    /// `/api/ask` never gave an answer with this id (or gave it longer ago than answers are kept).
    case unknownAnswer(String)
}

/// The web chat's answers and the 👍/👎 on them, stored with the chat platforms' feedback.
public protocol WebFeedbackRecording: Sendable {
    /// Remembers an answer `/api/ask` gave, so that votes on it are accepted.
    func rememberAnswer(_ answer: WebAnswerRecord) async throws
    /// Stores the vote. A user counts once per answer: a repeat changes nothing, the other polarity replaces the
    /// earlier vote. Throws `WebFeedbackError.unknownAnswer` for an id `/api/ask` did not give.
    func record(_ feedback: WebAnswerFeedback) async throws -> WebVoteOutcome
    /// Forgets the answers given before `date`; votes on them are refused from then on.
    func forgetAnswers(before date: Date) async throws
}
