import Hummingbird

/// Where the gateway listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }

    /// The FHIR base URL, e.g. `http://127.0.0.1:8080/fhir`.
    public var baseURL: String { "http://\(host):\(port)/fhir" }
}

/// The composition root: every route, its interaction and the error middleware.
public func buildRouter(services: GatewayServices, baseURL: String) -> Router<BasicRequestContext> {
    let router = Router()
    router.middlewares.add(FHIRErrorMiddleware(responses: services.responses))
    let catalog = RouteCatalog()
    HealthRoute().register(on: router)
    SlotInteractions(services: services, baseURL: baseURL).register(on: router, catalog: catalog)
    ScheduleInteractions(services: services, baseURL: baseURL).register(on: router, catalog: catalog)
    AppointmentReadInteractions(services: services, baseURL: baseURL).register(on: router, catalog: catalog)
    AppointmentWriteInteractions(services: services, baseURL: baseURL).register(on: router, catalog: catalog)
    let directory = DirectoryInteractions(services: services, documents: services.documents, baseURL: baseURL)
    directory.register(on: router, catalog: catalog)
    BundleInteraction(services: services, directory: directory, baseURL: baseURL).register(on: router, catalog: catalog)
    MetadataInteraction(services: services, catalog: catalog).register(on: router)
    return router
}

/// The gateway application.
public func buildApplication(services: GatewayServices, configuration: ServerConfiguration) -> some ApplicationProtocol
{
    Application(
        router: buildRouter(services: services, baseURL: configuration.baseURL),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "booking-gateway"))
}
