import Hummingbird

/// Per-request state of the simulator: whether the fault layer asked for this answer to be cut short.
public struct SimulatorContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var truncateBody = false

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
