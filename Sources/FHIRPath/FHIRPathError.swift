/// An error raised while compiling or evaluating a FHIRPath expression.
///
/// The three cases follow the stages of the FHIRPath test suite (`invalid="syntax|semantic|execution"`).
/// Messages never carry resource content beyond the expression itself.
public enum FHIRPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text is not a FHIRPath expression; `position` is the UTF-8 offset where parsing failed.
    case syntax(message: String, position: Int)
    /// The expression parses but cannot be valid (unknown function, wrong number of arguments, bad type name).
    case semantic(message: String)
    /// Evaluation failed on the given data (a singleton expected, a bad argument value, …).
    case execution(message: String)

    /// The message without the stage.
    public var message: String {
        switch self {
        case .syntax(let m, _), .semantic(let m), .execution(let m): m
        }
    }

    /// The stage, the position for syntax errors, and the message.
    public var description: String {
        switch self {
        case .syntax(let m, let p): "FHIRPath syntax error at offset \(p): \(m)"
        case .semantic(let m): "FHIRPath semantic error: \(m)"
        case .execution(let m): "FHIRPath execution error: \(m)"
        }
    }
}
