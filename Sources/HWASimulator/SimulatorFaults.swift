/// Misbehaviour the simulator can be told to show, by flags at start or at run time through
/// `PUT /__simulator/faults`. Counted faults (`failNext`, `rateLimitNext`, `hangNext`) apply to the next
/// N API requests and then wear off, so "fails twice, then recovers" is deterministic.
public struct SimulatorFaults: Sendable, Codable, Hashable {
    /// Added to every API answer: `latencyMs` plus a uniform draw in `0...latencyJitterMs`.
    public var latencyMs: Int
    public var latencyJitterMs: Int
    /// Fraction (0…1) of API requests answered with `errorStatus`.
    public var errorRate: Double
    public var errorStatus: Int
    public var failNext: Int
    /// The next N requests get 429 with `Retry-After: retryAfterSeconds`.
    public var rateLimitNext: Int
    public var retryAfterSeconds: Int
    /// Every API request gets 401, as if the credentials had been revoked.
    public var unauthorized: Bool
    /// Requests hang (no answer) for `hangSeconds`: always, or for the next `hangNext` requests.
    public var hang: Bool
    public var hangNext: Int
    public var hangSeconds: Double
    /// JSON answers are cut in the middle (valid HTTP framing, unreadable body).
    public var truncateBodies: Bool

    public init(
        latencyMs: Int = 0, latencyJitterMs: Int = 0, errorRate: Double = 0, errorStatus: Int = 503, failNext: Int = 0,
        rateLimitNext: Int = 0, retryAfterSeconds: Int = 1, unauthorized: Bool = false, hang: Bool = false,
        hangNext: Int = 0, hangSeconds: Double = 30, truncateBodies: Bool = false
    ) {
        self.latencyMs = latencyMs
        self.latencyJitterMs = latencyJitterMs
        self.errorRate = errorRate
        self.errorStatus = errorStatus
        self.failNext = failNext
        self.rateLimitNext = rateLimitNext
        self.retryAfterSeconds = retryAfterSeconds
        self.unauthorized = unauthorized
        self.hang = hang
        self.hangNext = hangNext
        self.hangSeconds = hangSeconds
        self.truncateBodies = truncateBodies
    }

    public static let none = SimulatorFaults()

    enum CodingKeys: String, CodingKey {
        case latencyMs, latencyJitterMs, errorRate, errorStatus, failNext, rateLimitNext, retryAfterSeconds
        case unauthorized, hang, hangNext, hangSeconds, truncateBodies
    }

    /// Missing keys keep their defaults, so `{"failNext": 2}` is a complete fault description.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SimulatorFaults()
        latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? defaults.latencyMs
        latencyJitterMs = try c.decodeIfPresent(Int.self, forKey: .latencyJitterMs) ?? defaults.latencyJitterMs
        errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? defaults.errorRate
        errorStatus = try c.decodeIfPresent(Int.self, forKey: .errorStatus) ?? defaults.errorStatus
        failNext = try c.decodeIfPresent(Int.self, forKey: .failNext) ?? defaults.failNext
        rateLimitNext = try c.decodeIfPresent(Int.self, forKey: .rateLimitNext) ?? defaults.rateLimitNext
        retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? defaults.retryAfterSeconds
        unauthorized = try c.decodeIfPresent(Bool.self, forKey: .unauthorized) ?? defaults.unauthorized
        hang = try c.decodeIfPresent(Bool.self, forKey: .hang) ?? defaults.hang
        hangNext = try c.decodeIfPresent(Int.self, forKey: .hangNext) ?? defaults.hangNext
        hangSeconds = try c.decodeIfPresent(Double.self, forKey: .hangSeconds) ?? defaults.hangSeconds
        truncateBodies = try c.decodeIfPresent(Bool.self, forKey: .truncateBodies) ?? defaults.truncateBodies
    }
}

/// What the fault layer decided for one request.
enum FaultDecision: Sendable, Equatable {
    case proceed(delayMs: Int, truncate: Bool)
    case hang(seconds: Double, delayMs: Int)
    case fail(status: Int, delayMs: Int)
    case rateLimit(retryAfter: Int, delayMs: Int)
    case unauthorized(delayMs: Int)
}
