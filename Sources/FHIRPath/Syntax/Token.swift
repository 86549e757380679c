/// A lexical token of a FHIRPath expression.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A plain identifier (keywords included; the parser decides) or `$this`, `$index`, `$total`.
        case identifier
        /// A `` `delimited` `` identifier: never a keyword.
        case delimitedIdentifier
        case string
        case number
        /// `@2015-02-04T14:34`: text without the `@`.
        case dateTime
        /// `@T14:34`: text without the `@T`.
        case time
        /// `%name`, `` %`name` `` or `%'name'`: text is the name.
        case externalConstant
        case symbol
        case end
    }

    var kind: Kind
    var text: String
    /// UTF-8 offset of the token's first byte.
    var position: Int

    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
    func isKeyword(_ s: String) -> Bool { kind == .identifier && text == s }
}
