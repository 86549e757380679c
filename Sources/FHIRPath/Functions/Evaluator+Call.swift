/// Dispatches a function call to its group (one file per section of the specification).
extension Evaluator {
    func call(
        _ f: FunctionName, input: [FHIRPathValue], arguments: [ExpressionNode], scope: Scope, hasBase: Bool
    ) throws(FHIRPathError) -> [FHIRPathValue] {
        switch f {
        case .where, .select, .repeat, .all, .exists, .aggregate, .iif, .sort, .trace:
            return try lambda(f, input: input, arguments: arguments, scope: scope, hasBase: hasBase)
        default:
            break
        }
        var args: [[FHIRPathValue]] = []
        args.reserveCapacity(arguments.count)
        for a in arguments { args.append(try evaluate(a, scope: scope)) }
        switch f {
        case .empty, .allTrue, .anyTrue, .allFalse, .anyFalse, .subsetOf, .supersetOf, .count, .distinct,
            .isDistinct, .not:
            return try existence(f, input, args)
        case .single, .first, .last, .tail, .skip, .take, .intersect, .exclude, .union, .combine:
            return try subsetting(f, input, args)
        case .toBoolean, .convertsToBoolean, .toInteger, .convertsToInteger, .toDecimal, .convertsToDecimal,
            .toString, .convertsToString, .toDate, .convertsToDate, .toDateTime, .convertsToDateTime, .toTime,
            .convertsToTime, .toQuantity, .convertsToQuantity:
            return try conversion(f, input, args)
        case .indexOf, .substring, .startsWith, .endsWith, .contains, .upper, .lower, .replace, .matches,
            .replaceMatches, .length, .toChars, .trim, .split, .join, .encode, .decode, .escape, .unescape,
            .matchesFull:
            return try strings(f, input, args)
        case .abs, .ceiling, .exp, .floor, .ln, .log, .power, .round, .sqrt, .truncate:
            return try math(f, input, args)
        case .children:
            return children(input)
        case .descendants:
            return descendants(input)
        case .now, .today, .timeOfDay:
            return utility(f)
        case .lowBoundary, .highBoundary, .precision, .comparable:
            return try boundaries(f, input, args)
        case .extension, .hasValue, .getValue, .resolve, .conformsTo, .memberOf, .htmlChecks, .elementDefinition,
            .slice, .checkModifiers, .type:
            return try fhir(f, input, args)
        case .where, .select, .repeat, .all, .exists, .aggregate, .iif, .sort, .trace, .ofType, .is, .as:
            throw .semantic(message: "\(f.rawValue)() used without its argument form")
        }
    }
}
