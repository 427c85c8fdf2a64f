import Metrics
import ResyncCore

/// Counters of the chat core. Labels are bounded: platform, and a small fixed set of outcomes.
enum ChatMetrics {
    static func inbound(_ platform: ChatPlatformKind, _ outcome: String) {
        Counter(
            label: "resync_chat_inbound_total", dimensions: [("platform", platform.rawValue), ("outcome", outcome)]
        )
        .increment()
    }

    static func denied(_ platform: ChatPlatformKind) {
        Counter(label: "resync_chat_access_denied_total", dimensions: [("platform", platform.rawValue)]).increment()
    }

    static func delivery(_ platform: ChatPlatformKind, _ outcome: String) {
        Counter(
            label: "resync_chat_delivery_total", dimensions: [("platform", platform.rawValue), ("outcome", outcome)]
        )
        .increment()
    }

    static func platformError(_ platform: ChatPlatformKind, _ code: String) {
        Counter(
            label: "resync_chat_platform_errors_total",
            dimensions: [("platform", platform.rawValue), ("error", boundedErrorCode(code))]
        ).increment()
    }

    static func feedback(_ platform: ChatPlatformKind, _ polarity: Feedback.Polarity) {
        Counter(
            label: "resync_chat_feedback_total",
            dimensions: [("platform", platform.rawValue), ("polarity", polarity.rawValue)]
        ).increment()
    }

    static func answerLatency(_ platform: ChatPlatformKind, seconds: Double) {
        Metrics.Timer(label: "resync_chat_answer_seconds", dimensions: [("platform", platform.rawValue)])
            .recordNanoseconds(Int64(seconds * 1_000_000_000))
    }

    /// Known platform error codes keep their name; anything else is "other", so the label set stays small.
    static let knownErrorCodes: Set<String> = [
        "not_in_channel", "channel_not_found", "invalid_auth", "not_authed", "account_inactive", "token_revoked",
        "is_archived", "msg_too_long", "msg_blocks_too_long", "invalid_blocks", "no_text", "ratelimited",
        "missing_scope", "message_not_found", "cant_update_message", "restricted_action", "http_error", "transport",
    ]

    static func boundedErrorCode(_ code: String) -> String {
        knownErrorCodes.contains(code) ? code : "other"
    }
}
