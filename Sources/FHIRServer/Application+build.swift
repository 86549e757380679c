import Hummingbird

/// Where the gateway listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The base URL clients see (behind a proxy, or when listening on 0.0.0.0); nil: `http://HOST:PORT/fhir`.
    public var publicBaseURL: String?

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }

    /// The FHIR base URL, e.g. `http://127.0.0.1:8080/fhir`.
    public var baseURL: String { publicBaseURL ?? "http://\(host):\(port)/fhir" }
}

/// The composition root: every route, its interaction and the error middleware.
public func buildRouter(services: GatewayServices, base: ServerBase) -> Router<BasicRequestContext> {
    let router = Router()
    router.middlewares.add(FHIRErrorMiddleware(responses: services.responses))
    let catalog = RouteCatalog()
    HealthRoute().register(on: router)
    SlotInteractions(services: services, base: base).register(on: router, catalog: catalog)
    ScheduleInteractions(services: services, base: base).register(on: router, catalog: catalog)
    ScheduleWriteInteractions(services: services, base: base).register(on: router, catalog: catalog)
    SlotWriteInteractions(services: services, base: base).register(on: router, catalog: catalog)
    AppointmentReadInteractions(services: services, base: base).register(on: router, catalog: catalog)
    SchedulingOperations(services: services, base: base).register(on: router, catalog: catalog)
    AppointmentWriteInteractions(services: services, base: base).register(on: router, catalog: catalog)
    let directory = DirectoryInteractions(services: services, documents: services.documents, base: base)
    directory.register(on: router, catalog: catalog)
    BundleInteraction(services: services, directory: directory, base: base).register(on: router, catalog: catalog)
    HistoryInteractions(services: services, base: base).register(on: router, catalog: catalog)
    BulkPublishInteraction(services: services, base: base).register(on: router, catalog: catalog)
    if let validation = services.validation {
        ValidateOperation(services: services, base: base, validator: validation.validator).register(
            on: router, catalog: catalog,
            servedTypes: ["Appointment", "Slot", "Schedule"] + DirectoryInteractions.documentTypes)
    }
    OperationDefinitionInteractions(services: services, base: base).register(on: router, catalog: catalog)
    MetadataInteraction(services: services, catalog: catalog, base: base).register(on: router)
    UnsupportedMethods().register(on: router)
    return router
}

/// The gateway application. `onListening` receives the bound port (useful with port 0).
public func buildApplication(
    services: GatewayServices, configuration: ServerConfiguration,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let base = ServerBase(configuration.baseURL)
    return Application(
        router: buildRouter(services: services, base: base),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "booking-gateway"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            if configuration.publicBaseURL == nil { base.set("http://\(configuration.host):\(port)/fhir") }
            await onListening(port)
        })
}
