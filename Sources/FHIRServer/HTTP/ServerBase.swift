import Synchronization

/// The FHIR base URL that links and `Location` headers use. Set from the configuration, then from the bound
/// port once the server listens (so `--port 0` gives correct links).
public final class ServerBase: Sendable {
    private let value: Mutex<String>

    public init(_ url: String) {
        value = Mutex(url)
    }

    public var url: String { value.withLock { $0 } }

    public func set(_ url: String) { value.withLock { $0 = url } }
}
