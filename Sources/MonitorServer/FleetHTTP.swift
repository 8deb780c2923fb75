import Foundation
public import Historian
public import Hummingbird
import HTTPTypes

/// `geolith fleet`'s HTTP application: the overview page of every plant, a page per plant, and the API under
/// `/api/v1/plants/{id}/…`, on the monitor's HTTP stack (same connection limit, header and idle timeouts, body limit,
/// CORS, error bodies and bind address rules). It only reads: nothing it serves changes state, so it defines no
/// request that needs a token.
public func buildFleetApplication(fleet: any FleetReader, configuration: HTTPConfiguration,
                                  onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: LimitsMiddleware(maxBody: configuration.maxRequestBody, corsOrigins: configuration.corsOrigins))
    let api = FleetAPI(fleet: fleet)
    router.get("/healthz") { _, _ in json(.object(["status": .string("ok")])) }
    router.get("/readyz") { _, _ in
        let reachable = await fleet.isReachable()
        return json(.object(["ready": .bool(reachable), "database": .bool(reachable)]), status: reachable ? .ok : .serviceUnavailable)
    }
    router.get("/api/v1/plants") { _, _ in json(try await api.plants()) }
    router.get("/api/v1/plants/:plant") { _, context in json(try await api.plant(try fleetParameter(context, "plant"))) }
    router.get("/api/v1/plants/:plant/series") { _, context in json(try await api.series(try fleetParameter(context, "plant"))) }
    router.get("/api/v1/plants/:plant/kpis") { _, context in json(try await api.kpis(try fleetParameter(context, "plant"))) }
    router.get("/api/v1/plants/:plant/tags/:name/history") { request, context in
        json(try await api.history(plant: try fleetParameter(context, "plant"), series: try fleetParameter(context, "name"), isKPI: false,
                                   query: request.uri.queryParameters))
    }
    router.get("/api/v1/plants/:plant/kpis/:name/history") { request, context in
        json(try await api.history(plant: try fleetParameter(context, "plant"), series: try fleetParameter(context, "name"), isKPI: true,
                                   query: request.uri.queryParameters))
    }
    router.get("/api/v1/plants/:plant/events") { request, context in
        json(try await api.events(try fleetParameter(context, "plant"), query: request.uri.queryParameters))
    }
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: try await fleetMetrics(fleet))))
    }
    router.get("/") { _, _ in html(FleetPage.overview) }
    router.get("/plants/:plant") { _, _ in html(FleetPage.plant) }
    // The monitor's connection limit and header and idle timeouts: the fleet's database connections are among the
    // reserved descriptors.
    return guardedApplication(router: router, configuration: configuration, devices: 0, onServerRunning: onServerRunning)
}

/// A path parameter of the fleet's routes: percent-decoded, and without NUL bytes, which PostgreSQL refuses in text
/// (a plant, tag or KPI name with `%00` once got a 500 from the database instead of a 400).
func fleetParameter(_ context: some RequestContext, _ name: String) throws -> String {
    try withoutNUL(try parameter(context, name), name)
}

/// `value`, or a 400 naming `name` when it holds a NUL byte.
func withoutNUL(_ value: String, _ name: String) throws -> String {
    guard !value.utf8.contains(0) else { throw APIError(status: .badRequest, message: "\(name) must not contain a NUL byte") }
    return value
}

func html(_ text: String) -> Response {
    Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// Per plant: historian lag, devices up, active alarms, spooled samples (Prometheus text exposition).
func fleetMetrics(_ fleet: any FleetReader) async throws -> [UInt8] {
    let now = FleetAPI.now()
    let plants = try await fleet.plants()
    var out = ExpositionWriter()
    out.header("geolith_fleet_plants", "gauge", "Plants in the fleet database.")
    out.sample("geolith_fleet_plants", [], Double(plants.count))
    out.header("geolith_fleet_historian_lag_seconds", "gauge", "Time since the newest sample of the plant in the database.")
    for plant in plants { if let lag = plant.lag(at: now) { out.sample("geolith_fleet_historian_lag_seconds", [("plant", plant.id)], Double(lag) / 1000) } }
    out.header("geolith_fleet_devices_up", "gauge", "Devices up as the plant's monitor last published.")
    for plant in plants { if let s = plant.snapshot { out.sample("geolith_fleet_devices_up", [("plant", plant.id)], Double(s.devices.filter(\.up).count)) } }
    out.header("geolith_fleet_alarms_active", "gauge", "Active alarms as the plant's monitor last published.")
    for plant in plants { if let s = plant.snapshot { out.sample("geolith_fleet_alarms_active", [("plant", plant.id)], Double(s.activeAlarms)) } }
    out.header("geolith_fleet_spooled_samples", "gauge", "Samples in the plant monitor's spool when it last published.")
    for plant in plants { if let s = plant.snapshot { out.sample("geolith_fleet_spooled_samples", [("plant", plant.id)], Double(s.historian.spooledSamples)) } }
    return out.bytes
}
