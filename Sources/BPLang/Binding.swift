/// Where the arguments of a call go among a function's parameters. User functions and
/// builtins are bound by this one check, so every binding error (too many arguments, an
/// unknown keyword, two values for one parameter, a missing argument) is worded once.
///
/// Positional arguments fill the parameters in order (past them, a variadic function
/// collects the rest); each keyword names a parameter; a parameter left out takes its
/// default, which the caller supplies (a user function evaluates its default expression, a
/// builtin copies its default value).
struct Binding {
    /// The parameter each keyword argument goes to, in the order the keywords were written
    /// (nil for a keyword the function collects, see `collectsKeywords`).
    let keywordSlots: [Int?]

    /// Checks the call `args` of `function` against its parameters `names`; `hasDefault(k)`
    /// says whether parameter k may be left out. With `collectsKeywords`, a keyword that names
    /// no parameter is kept for the function (`check(f, a=5, b=7)`) instead of refused.
    init(_ function: String, _ names: [String], variadic: Bool, collectsKeywords: Bool = false,
         hasDefault: (Int) -> Bool, _ args: Arguments) throws {
        let given = args.positional.count
        if given > names.count && !variadic {
            let required = names.indices.filter { !hasDefault($0) }.count
            let n = names.count
            throw BPError.runtime("\(function)() takes \(required == n ? "" : "at most ")\(n) argument\(n == 1 ? "" : "s") but \(given) were given",
                                  at: args.loc)
        }
        var slots: [Int?] = []
        var collected: Set<String> = []
        for (k, _) in args.keywords {
            guard let i = names.firstIndex(of: k) else {
                guard collectsKeywords else {
                    throw BPError.runtime("\(function)() has no parameter '\(k)'" + Suggest.didYouMean(k, names), at: args.loc)
                }
                if !collected.insert(k).inserted { throw BPError.runtime("\(function)() got two values for '\(k)'", at: args.loc) }
                slots.append(nil)
                continue
            }
            if i < given || slots.contains(i) { throw BPError.runtime("\(function)() got two values for '\(k)'", at: args.loc) }
            slots.append(i)
        }
        for i in given..<max(given, names.count) where !hasDefault(i) && !slots.contains(i) {
            throw BPError.runtime("\(function)() is missing the argument '\(names[i])'", at: args.loc)
        }
        keywordSlots = slots
    }
}
