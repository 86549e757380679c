import FHIRModel
import Foundation

/// Constraint keys the validator does not hand to the ``ConstraintEvaluator``.
///
/// - Checked natively (cheaper, and they must work without an evaluator): ele-1 (value or children), ext-1
///   (value or extensions), dom-2, dom-3, dom-4, dom-5 (contained resources), bdl-7, bdl-8 (fullUrl), ref-1
///   (a `#id` reference resolves to a contained resource; its R4 expression looks in `%rootResource.contained`
///   only, so a reference from one contained resource to another, or to the container with `#`, would fail
///   wrongly — the HL7 Java validator special-cases it too), txt-1 and txt-2 (narrative markup: they need
///   `htmlChecks()`, and txt-1 is a security rule that must not depend on the engine), eld-19 (element names
///   without special characters: its R4 expression uses `matches()`, which FHIRPath defines as a partial match,
///   so `Observation...unit` would pass; the regex describes the whole path and is applied as such, like the
///   HL7 Java validator does).
/// - Best practice, skipped like the HL7 Java validator does by default: dom-6 (a resource should have a
///   narrative).
public enum InvariantPolicy {
    /// Keys checked by the validator itself.
    public static let native: Set<String> = [
        "ele-1", "ext-1", "dom-2", "dom-3", "dom-4", "dom-5", "bdl-7", "bdl-8", "ref-1", "txt-1", "txt-2",
        "eld-19",
    ]
    /// Best-practice keys that are not evaluated.
    public static let skipped: Set<String> = ["dom-6"]
}

extension ValidationRun {
    /// Evaluates the element's constraints through the evaluator (error or warning as the constraint says);
    /// a throwing expression is a warning. Without evaluator, counts what was skipped.
    mutating func checkInvariants(_ e: Element, constraints: [Invariant], path: String) {
        for inv in constraints {
            if InvariantPolicy.native.contains(inv.key) || InvariantPolicy.skipped.contains(inv.key) { continue }
            guard let expression = inv.expression else { continue }
            guard let evaluator else {
                skippedInvariants += 1
                continue
            }
            do {
                if try !evaluator.evaluate(expression: expression, focus: e, resource: resource, rootResource: root) {
                    report(
                        inv.severity == "error" ? .error : .warning, .invariant,
                        "Constraint failed: \(inv.key): '\(inv.human)'", at: path, key: inv.key)
                }
            } catch {
                report(
                    .warning, .processing, "The constraint \(inv.key) could not be evaluated: \(error)", at: path,
                    key: inv.key)
            }
        }
    }

    /// eld-19 (checked natively, see ``InvariantPolicy``): an ElementDefinition's path is legal.
    mutating func checkElementPath(_ e: Element, path: String) {
        guard let p = e.string("path"), !Self.elementPathIsLegal(p) else { return }
        report(
            .error, .invariant, "Constraint failed: eld-19: 'Element names cannot include some special characters'",
            at: path, key: "eld-19")
    }

    /// eld-19's R4 pattern applied to the whole `ElementDefinition.path`.
    static func elementPathIsLegal(_ path: String) -> Bool {
        guard let regex = elementPathRegex else { return true }
        return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    private static let elementPathRegex = try? NSRegularExpression(pattern: elementPathPattern)

    static let elementPathPattern =
        #"^[^\s.,:;'"/|?!@#$%&*()\[\]{}]{1,64}(\.[^\s.,:;'"/|?!@#$%&*()\[\]{}]{1,64}(\[x\])?(:[^\s.]+)?)*$"#
}
