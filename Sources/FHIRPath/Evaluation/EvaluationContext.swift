import FHIRModel

/// What one evaluation sees besides its focus: the environment variables and the engine's services.
struct EvaluationContext {
    let structures: StructureRegistry
    let terminology: (any FHIRPathTerminology)?
    let profiles: (any FHIRPathProfileChecker)?
    /// `%resource`.
    let resource: Element?
    /// `%rootResource`: the resource that holds `%resource` (a Bundle or a container), else `%resource`.
    let rootResource: Element?
    /// `%context`: the original focus.
    let context: [FHIRPathValue]
    /// User variables, by name without `%`.
    let variables: [String: [FHIRPathValue]]
    /// Milliseconds since the epoch read once per evaluation when the expression uses now(), today() or
    /// timeOfDay(), so that they give the same instant throughout it.
    var clockMilliseconds: Int?
}

/// The iteration variables of the innermost function scope.
struct Scope {
    /// `$this`: the focus of the innermost scope (the whole input at the top level).
    var this: [FHIRPathValue]
    var index: Int?
    var total: [FHIRPathValue] = []
    /// Inside an operand of `|`: a path head naming another resource type gives empty instead of an error,
    /// so multi-resource search expressions (`Patient.name | Practitioner.name`) work on either type.
    var inUnion = false
}
