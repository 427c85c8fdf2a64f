/// When the auditor flags or retires a memory. Every threshold is configurable; the defaults follow
/// the product brief.
public struct AuditPolicy: Sendable, Hashable {
    /// A judge saying "incorrect" with at least this confidence soft-deletes the memory.
    public var softDeleteConfidence: Double
    /// A judge saying "incorrect" with at least this confidence flags it for human review.
    public var flagConfidence: Double
    /// Negative signals needed before feedback alone can flag a memory…
    public var negativeFeedbackMinimum: Int
    /// …and the feedback balance (positive − negative) at or below which it does.
    public var negativeBalanceThreshold: Int
    /// Known solutions older than this without positive feedback lose score.
    public var staleAgeDays: Int
    /// Two solutions for the same job and error sharing fewer words than this (Jaccard) disagree.
    public var contradictionSimilarity: Double
    /// Upper bound on memories examined in one run.
    public var maximumMemoriesPerRun: Int

    public init(
        softDeleteConfidence: Double = 0.85, flagConfidence: Double = 0.6, negativeFeedbackMinimum: Int = 2,
        negativeBalanceThreshold: Int = -2, staleAgeDays: Int = 180, contradictionSimilarity: Double = 0.2,
        maximumMemoriesPerRun: Int = 2_000
    ) {
        self.softDeleteConfidence = softDeleteConfidence
        self.flagConfidence = flagConfidence
        self.negativeFeedbackMinimum = negativeFeedbackMinimum
        self.negativeBalanceThreshold = negativeBalanceThreshold
        self.staleAgeDays = staleAgeDays
        self.contradictionSimilarity = contradictionSimilarity
        self.maximumMemoriesPerRun = maximumMemoriesPerRun
    }
}
