import Foundation

/// Every type definition the codecs and the validator know, read from the compact structure files in profiles/.
///
/// Built once at start-up (``load(from:)``) and shared read-only afterwards.
public final class StructureRegistry: Sendable {
    public let types: [String: TypeDefinition]
    /// Types by canonical URL.
    public let typesByURL: [String: TypeDefinition]

    init(types: [TypeDefinition]) {
        var byName: [String: TypeDefinition] = [:]
        var byURL: [String: TypeDefinition] = [:]
        for t in types {
            byName[t.name] = t
            byURL[t.url] = t
        }
        self.types = byName
        self.typesByURL = byURL
        for t in types { link(t) }
    }

    /// Resolves, for every element of `type`, the wire form of each child and type (see ``WireChild``).
    private func link(_ type: TypeDefinition) {
        for def in type.elementsByPath.values where !def.children.isEmpty || def === type.root {
            for child in def.children where child.wires.isEmpty {
                let codes =
                    child.types.isEmpty
                    ? [child.contentReference != nil ? "BackboneElement" : "Element"] : child.types.map(\.code)
                child.wires = codes.map { code in
                    let kind: WireChild.Kind
                    let context: ElementDefinition?
                    if child.isXMLAttribute {
                        (kind, context) = (.attribute, nil)
                    } else if code == "xhtml" {
                        (kind, context) = (.xhtml, nil)
                    } else if isPrimitive(code) {
                        (kind, context) = (.primitive, types[code]?.root)
                    } else if holdsResource(code) {
                        (kind, context) = (.resource, nil)
                    } else {
                        (kind, context) = (.complex, child.hasInlineChildren ? child : types[code]?.root)
                    }
                    return WireChild(
                        definition: child, type: code, wireName: child.wireName(for: code), kind: kind, context: context
                    )
                }
            }
            for child in def.children {
                def.childrenByName[child.name] = child
                for w in child.wires { def.childrenByWireName[w.wireName] = w }
            }
        }
    }

    /// The definition of the type named `name` (`Appointment`, `Coding`, `date`).
    public func type(named name: String) -> TypeDefinition? {
        types[name]
    }

    /// A concrete resource type, or nil for unknown and abstract names.
    public func concreteResourceType(named name: String) -> TypeDefinition? {
        guard let t = types[name], t.kind == .resource, !t.isAbstract else { return nil }
        return t
    }

    /// Whether values of `typeCode` are primitive on the wire (FHIR primitives and `System.*` attribute values).
    public func isPrimitive(_ typeCode: String) -> Bool {
        if let t = types[typeCode] { return t.kind == .primitive }
        return typeCode.hasPrefix("System.")
    }

    /// Whether an element of `typeCode` holds a whole resource (`contained`, `Bundle.entry.resource`).
    public func holdsResource(_ typeCode: String) -> Bool {
        typeCode == "Resource" || typeCode == "DomainResource" || types[typeCode]?.kind == .resource
    }

    /// The element whose children describe a value of `type` held by `element`: the element itself for
    /// inline backbone children, otherwise the root of the datatype's definition.
    public func childContext(of element: ElementDefinition, type: String) -> ElementDefinition? {
        if element.hasInlineChildren { return element }
        return types[type]?.root
    }

    /// Names of all concrete resource types, sorted.
    public var resourceTypeNames: [String] {
        types.values.filter { $0.kind == .resource && !$0.isAbstract }.map(\.name).sorted()
    }
}

extension StructureRegistry {
    /// Errors while loading the structure files.
    public enum LoadError: Error, CustomStringConvertible {
        case directoryNotFound(String)
        case unreadable(file: String, reason: String)

        public var description: String {
            switch self {
            case .directoryNotFound(let d): "structure directory not found: \(d)"
            case .unreadable(let f, let r): "cannot read structure file \(f): \(r)"
            }
        }
    }

    /// Loads every `*.json` structure file under `directory` (recursively) and links the element trees.
    /// - Throws: ``LoadError`` when the folder is missing or a file is not a valid structure file.
    public static func load(from directory: URL) throws -> StructureRegistry {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
            throw LoadError.directoryNotFound(directory.path)
        }
        var files: [URL] = []
        if let e = fm.enumerator(at: directory, includingPropertiesForKeys: nil) {
            for case let url as URL in e where url.pathExtension == "json" { files.append(url) }
        }
        files.sort { $0.path < $1.path }
        var types: [TypeDefinition] = []
        let parser = JSONParser(limits: ReaderLimits(maxBytes: 64 * 1024 * 1024, maxDepth: 64))
        for file in files {
            do {
                let bytes = Array(try Data(contentsOf: file))
                let node = try parser.parse(bytes)
                guard node.value["kind"] != nil, node.value["elements"] != nil else { continue }
                types.append(try CompactStructure.decode(node.value))
            } catch let error as FHIRFormatError {
                throw LoadError.unreadable(file: file.path, reason: error.description)
            } catch let error as CompactStructure.DecodeError {
                throw LoadError.unreadable(file: file.path, reason: error.message)
            }
        }
        return StructureRegistry(types: types)
    }

    /// The structure folder used when none is given: `$BOOKING_GATEWAY_PROFILES`, then `profiles/r4` in the
    /// working directory, then beside or above the executable (`share/booking-gateway/profiles/r4` for an
    /// installed binary, the checkout's `profiles/r4` for a built one).
    public static func defaultDirectory() -> URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["BOOKING_GATEWAY_PROFILES"] {
            candidates.append(URL(fileURLWithPath: env))
        }
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("profiles/r4"))
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("share/booking-gateway/profiles/r4"))
            candidates.append(dir.appendingPathComponent("profiles/r4"))
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("core").path) }
    }

    /// Loads from ``defaultDirectory()``.
    public static func loadDefault() throws -> StructureRegistry {
        guard let dir = defaultDirectory() else { throw LoadError.directoryNotFound("profiles/r4") }
        return try load(from: dir)
    }
}
