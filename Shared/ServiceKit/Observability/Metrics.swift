import Metrics
import Prometheus

/// The process-wide Prometheus registry behind every service's `/metrics`.
public enum MetricsSetup {
    public static let registry = PrometheusCollectorRegistry()

    /// Call once, in `main`.
    public static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
