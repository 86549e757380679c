import Hummingbird

/// `GET /health`, beside the FHIR base: 200 while the process serves.
struct HealthRoute {
    func register(on router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "ok\n")))
        }
    }
}
