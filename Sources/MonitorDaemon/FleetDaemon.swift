public import Historian
public import Logging
public import MonitorServer
public import ServiceLifecycle
import UnixSignals

/// Assembles `geolith fleet`: the fleet's HTTP listener over a fleet reader (a PostgreSQL historian shared by the
/// plants' monitors), stopped gracefully by SIGTERM or SIGINT (ServiceLifecycle's graceful-shutdown signals).
public func buildFleet(fleet: any FleetReader, http server: HTTPConfiguration, logger: Logger) -> ServiceGroup {
    let application = buildFleetApplication(fleet: fleet, configuration: server) { port in
        logger.info("fleet overview", metadata: ["url": "http://\(server.host.contains(":") ? "[\(server.host)]" : server.host):\(port)/"])
    }
    return ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
}
