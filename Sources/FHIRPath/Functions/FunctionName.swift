/// Every function the engine knows, with how many arguments each takes; the parser rejects other names
/// and arities as semantic errors.
enum FunctionName: String, Sendable, CaseIterable {
    // Existence
    case empty, exists, all, allTrue, anyTrue, allFalse, anyFalse, subsetOf, supersetOf, count, distinct, isDistinct
    // Filtering and projection
    case `where`, select, `repeat`, ofType
    // Subsetting
    case single, first, last, tail, skip, take, intersect, exclude
    // Combining
    case union, combine
    // Conversion
    case iif, toBoolean, convertsToBoolean, toInteger, convertsToInteger, toDecimal, convertsToDecimal
    case toString, convertsToString, toDate, convertsToDate, toDateTime, convertsToDateTime, toTime
    case convertsToTime, toQuantity, convertsToQuantity
    // Strings
    case indexOf, substring, startsWith, endsWith, contains, upper, lower, replace, matches, replaceMatches
    case length, toChars, trim, split, join, encode, decode, escape, unescape, matchesFull
    // Math
    case abs, ceiling, exp, floor, ln, log, power, round, sqrt, truncate
    // Tree navigation
    case children, descendants
    // Utility
    case trace, now, today, timeOfDay, not
    // Aggregate
    case aggregate
    // Types
    case `is`, `as`, type
    // Temporal helpers (FHIRPath 2.0 additions used by the suite)
    case lowBoundary, highBoundary, precision, comparable, sort
    // FHIR
    case `extension`, hasValue, getValue, resolve, conformsTo, memberOf, htmlChecks, elementDefinition, slice
    case checkModifiers

    /// Allowed argument counts.
    var arity: ClosedRange<Int> {
        switch self {
        case .empty, .allTrue, .anyTrue, .allFalse, .anyFalse, .count, .distinct, .isDistinct, .single, .first,
            .last, .tail, .toBoolean, .convertsToBoolean, .toInteger, .convertsToInteger, .toDecimal,
            .convertsToDecimal, .toString, .convertsToString, .toDate, .convertsToDate, .toDateTime,
            .convertsToDateTime, .toTime, .convertsToTime, .upper, .lower, .length, .toChars, .trim, .abs,
            .ceiling, .exp, .floor, .ln, .sqrt, .children, .descendants, .now, .today, .timeOfDay, .not, .type,
            .hasValue, .getValue, .resolve, .htmlChecks, .elementDefinition, .precision:
            0...0
        case .exists: 0...1
        case .all, .subsetOf, .supersetOf, .where, .select, .repeat, .ofType, .skip, .take, .intersect, .exclude,
            .union, .combine, .indexOf, .startsWith, .endsWith, .contains, .matches, .log, .power, .is, .as,
            .extension, .conformsTo, .memberOf, .comparable, .encode, .decode, .split, .escape, .unescape, .matchesFull:
            1...1
        case .toQuantity, .convertsToQuantity, .round, .truncate, .lowBoundary, .highBoundary, .join:
            0...1
        case .checkModifiers: 1...1
        case .substring, .trace, .aggregate: 1...2
        case .replace, .replaceMatches, .slice: 2...2
        case .iif: 2...3
        case .sort: 0...9
        }
    }
}
