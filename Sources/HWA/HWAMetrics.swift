import Metrics
import ResyncCore

/// The client's metrics. Labels are bounded: `operation` is one of the client's operations, `outcome` one of
/// a fixed set; no id, name or URL is ever a label.
enum HWAMetrics {
    enum Outcome: String {
        case success, notFound = "not_found", unauthorized, forbidden, badFilter = "bad_filter", unavailable
        case timeout, circuitOpen = "circuit_open", invalidResponse = "invalid_response", refused, error
    }

    static func record(operation: String, outcome: Outcome, durationNanoseconds: Int64) {
        Counter(
            label: "hwa_client_requests_total", dimensions: [("operation", operation), ("outcome", outcome.rawValue)]
        )
        .increment()
        Metrics.Timer(label: "hwa_client_request_duration_seconds", dimensions: [("operation", operation)])
            .recordNanoseconds(durationNanoseconds)
    }

    static func retry(operation: String) {
        Counter(label: "hwa_client_retries_total", dimensions: [("operation", operation)]).increment()
    }

    static func cache(operation: String, hit: Bool) {
        Counter(
            label: "hwa_client_cache_total", dimensions: [("operation", operation), ("result", hit ? "hit" : "miss")]
        )
        .increment()
    }

    static func outcome(of error: any Error) -> Outcome {
        guard let error = error as? SchedulerError else { return .error }
        switch error {
        case .notFound: return .notFound
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .badFilter: return .badFilter
        case .unreachable, .server: return .unavailable
        case .timedOut: return .timeout
        case .circuitOpen: return .circuitOpen
        case .invalidResponse, .unsupportedVersion: return .invalidResponse
        case .refusedWrite: return .refused
        }
    }
}
