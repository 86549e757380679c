import FHIRModel

extension ValidationRun {
    /// Whether the item's type is one the definition allows; reports it otherwise.
    mutating func checkType(_ item: Element, def: ProfileElement, path: String) -> Bool {
        let allowed = def.typeCodes
        if allowed.isEmpty || allowed.contains(item.type) { return true }
        if isResourceType(item.type) && (allowed.contains("Resource") || allowed.contains("DomainResource")) {
            return true
        }
        if allowed.contains("BackboneElement") && item.type == "Element" { return true }
        if allowed.contains("Element") && item.type == "BackboneElement" { return true }
        report(
            .error, .structure,
            "The type '\(item.type)' is not valid here - must be \(allowed.count == 1 ? "" : "one of ")\(allowed.joined(separator: ", "))",
            at: path)
        return false
    }
}
