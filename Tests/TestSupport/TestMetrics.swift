import Metrics
import Prometheus

/// The test process's metrics backend. swift-metrics can be bootstrapped once per process, so every
/// test that reads metrics shares this registry (reading it lazily bootstraps it).
public enum TestMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// The registry's exposition text.
    public static func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
