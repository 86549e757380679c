/// A compiled FHIRPath expression: parse once with ``FHIRPathEngine/compile(_:)``, evaluate many times.
public struct FHIRPathExpression: Sendable {
    /// The source text.
    public let text: String
    let root: ExpressionNode
    /// Whether the text calls now(), today() or timeOfDay() (the clock is then read once per evaluation).
    let usesClock: Bool
}
