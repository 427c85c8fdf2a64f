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
    public var answerID: String
    public var feedback: Feedback

    public init(answerID: String, feedback: Feedback) {
        self.answerID = answerID
        self.feedback = feedback
    }
}

/// Receives web chat feedback (the auditor's feedback store implements it).
public protocol WebFeedbackRecording: Sendable {
    /// Stores the signal; a user counts once per answer, so a repeat replaces the earlier one.
    func record(_ feedback: WebAnswerFeedback) async throws
}
