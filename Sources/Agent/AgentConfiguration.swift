import Foundation
import ResyncCore

/// How the agent behaves; built by the composition root from `AppConfig`.
public struct AgentConfiguration: Sendable {
    /// Zone for windows ("today", "since 2pm") and for the times shown in answers.
    public var timeZone: TimeZone
    /// Reply language when neither the question nor the context tells it.
    public var defaultLanguage: Language
    /// The whole answer, every tool call included, arrives within this.
    public var answerDeadline: Duration
    /// Window for "what failed?" without a window, and for the health summary's recent failures.
    public var defaultFailureWindow: Duration
    /// Log lines shown for a failed job and by `log JOB` without a count; `log JOB N` is capped at `maxLogLines`.
    public var logTailLines: Int
    public var maxLogLines: Int
    /// Longer questions are cut to this many characters before parsing.
    public var maxQuestionLength: Int
    public var knowledgeLimit: Int
    /// Jobs listed in one answer; counts still cover everything.
    public var maxListedJobs: Int
    /// LLM mode: the model name (`AGENT_MODEL_NAME`); nil is deterministic mode.
    public var model: String?
    public var llmLimits: LLMLimits

    public init(
        timeZone: TimeZone = .gmt, defaultLanguage: Language = .portuguese, answerDeadline: Duration = .seconds(8),
        defaultFailureWindow: Duration = .seconds(24 * 3_600), logTailLines: Int = 20, maxLogLines: Int = 200,
        maxQuestionLength: Int = 2_000, knowledgeLimit: Int = 5, maxListedJobs: Int = 20, model: String? = nil,
        llmLimits: LLMLimits = LLMLimits()
    ) {
        self.timeZone = timeZone
        self.defaultLanguage = defaultLanguage
        self.answerDeadline = answerDeadline
        self.defaultFailureWindow = defaultFailureWindow
        self.logTailLines = logTailLines
        self.maxLogLines = maxLogLines
        self.maxQuestionLength = maxQuestionLength
        self.knowledgeLimit = knowledgeLimit
        self.maxListedJobs = maxListedJobs
        self.model = model
        self.llmLimits = llmLimits
    }
}

/// Bounds of the LLM tool-call loop.
public struct LLMLimits: Sendable, Hashable {
    /// Model round trips per question.
    public var maxIterations: Int
    /// One chat completion.
    public var perCallTimeout: Duration
    /// The whole loop; must leave room inside the answer deadline for the deterministic fallback.
    public var overallTimeout: Duration
    /// Prompt plus completion tokens across the loop.
    public var tokenBudget: Int
    /// Completion tokens per call.
    public var maxCompletionTokens: Int

    public init(
        maxIterations: Int = 5, perCallTimeout: Duration = .seconds(4), overallTimeout: Duration = .seconds(6),
        tokenBudget: Int = 24_000, maxCompletionTokens: Int = 800
    ) {
        self.maxIterations = maxIterations
        self.perCallTimeout = perCallTimeout
        self.overallTimeout = overallTimeout
        self.tokenBudget = tokenBudget
        self.maxCompletionTokens = maxCompletionTokens
    }
}
