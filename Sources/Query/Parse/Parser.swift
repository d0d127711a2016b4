import Model

/// Entry point of the PromQL parser.
public enum PromQL {
    /// Parses and type-checks an expression as Prometheus 2.42 does; the error carries the
    /// position and Prometheus' wording.
    public static func parse(_ text: String) throws(ParseError) -> Expr {
        var parser = try Parser(text)
        return Expr(try parser.parseTop())
    }
}

/// A node with the byte range it was parsed from (for error positions).
struct Parsed {
    var node: Node
    var start: Int
    var end: Int
    /// Levels of nodes from this one down to its deepest leaf.
    var depth = 1
}

/// Recursive descent with precedence climbing, mirroring the precedence table and the checks
/// of Prometheus' yacc grammar (`generated_parser.y`) and `checkAST`.
struct Parser {
    let text: String
    var lexer: Lexer
    /// Tokens lexed so far; the parser reads them one ahead, so a lexical error surfaces only
    /// when the parser reaches it (as in Prometheus, where the grammar may fail first).
    var tokens: [Token]
    var index = 0
    /// Nested `parseExpr` calls in progress.
    var nesting = 0

    /// The deepest expression accepted, counted in AST levels. Parsing, type checking,
    /// evaluation and even freeing an AST recurse once per level, so without a bound a query
    /// like `((((...1...))))` or `1+1+...+1` overflows the stack and kills the daemon. Real
    /// queries stay far below this.
    static let maxDepth = 256

    init(_ text: String) throws(ParseError) {
        self.text = text
        self.lexer = Lexer(text)
        self.tokens = [lexer.nextToken()]
    }

    var current: Token { tokens[index] }
    var previousEnd: Int { index > 0 ? tokens[index - 1].end : 0 }

    mutating func advance() -> Token {
        let token = tokens[index]
        guard token.kind != .eof else { return token }
        index += 1
        if index == tokens.count { tokens.append(lexer.nextToken()) }
        return token
    }

    func error(_ message: String, at offset: Int) -> ParseError {
        ParseError(message: message, offset: offset, in: text)
    }

    /// Prometheus' `unexpected(context, expected)`.
    func unexpected(_ context: String = "", expected: String = "") -> ParseError {
        if let lexError = current.lexError { return lexError }
        var message = "unexpected \(current.describe)"
        if !context.isEmpty { message += " in \(context)" }
        if !expected.isEmpty { message += ", expected \(expected)" }
        return error(message, at: current.start)
    }

    mutating func expect(_ kind: TokenKind, context: String = "", expected: String = "") throws(ParseError) -> Token {
        guard current.kind == kind else { throw unexpected(context, expected: expected) }
        return advance()
    }

    mutating func parseTop() throws(ParseError) -> Node {
        if current.kind == .eof { throw current.lexError ?? error("no expression found in input", at: 0) }
        let expr = try parseExpr(minPrecedence: 0)
        guard current.kind == .eof, current.lexError == nil else { throw unexpected() }
        return expr.node
    }

    mutating func parseExpr(minPrecedence: Int) throws(ParseError) -> Parsed {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxDepth { throw tooDeep(at: current.start) }
        var lhs = try parseUnary()
        try checkDepth(lhs)
        while case .op(let op) = current.kind, op.precedence >= minPrecedence {
            let opToken = advance()
            let (returnBool, matching) = try parseBinaryModifiers()
            // `^` is right-associative; everything else binds left.
            let rhs = try parseExpr(minPrecedence: op == .pow ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, opStart: opToken.start, lhs, rhs, returnBool: returnBool, matching: matching)
            try checkDepth(lhs)
        }
        return lhs
    }

    func tooDeep(at offset: Int) -> ParseError {
        error("expression nested too deeply: at most \(Self.maxDepth) levels are allowed", at: offset)
    }

    func checkDepth(_ parsed: Parsed) throws(ParseError) {
        if parsed.depth > Self.maxDepth { throw tooDeep(at: parsed.start) }
    }

    mutating func parseUnary() throws(ParseError) -> Parsed {
        guard case .op(let op) = current.kind, op == .add || op == .sub else { return try parsePostfix() }
        let start = advance().start
        // Unary operators bind looser than `^` but tighter than `*` (`%prec MUL`).
        let operand = try parseExpr(minPrecedence: BinaryOp.pow.precedence)
        if case .number(let value) = operand.node {
            return Parsed(node: .number(op == .sub ? -value : value), start: start, end: operand.end, depth: operand.depth)
        }
        let type = operand.node.type
        guard type == .scalar || type == .vector else {
            throw error("unary expression only allowed on expressions of type scalar or instant vector, got \(goQuoted(type.documented))", at: start)
        }
        return Parsed(node: op == .sub ? .unaryMinus(operand.node) : .unaryPlus(operand.node), start: start, end: operand.end,
                      depth: operand.depth + 1)
    }

    mutating func parseBinaryModifiers() throws(ParseError) -> (Bool, VectorMatching?) {
        var returnBool = false
        if current.kind == .keyword(.bool) { _ = advance(); returnBool = true }
        var matching: VectorMatching?
        if current.kind == .keyword(.on) || current.kind == .keyword(.ignoring) {
            let on = advance().kind == .keyword(.on)
            matching = VectorMatching(card: .oneToOne, on: on, labels: try parseLabelList())
        }
        if current.kind == .keyword(.groupLeft) || current.kind == .keyword(.groupRight) {
            let left = advance().kind == .keyword(.groupLeft)
            var include: [String] = []
            if current.kind == .leftParen { include = try parseLabelList() }
            if matching == nil { matching = VectorMatching(card: .oneToOne) }
            matching?.card = left ? .manyToOne : .oneToMany
            matching?.include = include
        }
        return (returnBool, matching)
    }

    func makeBinary(_ op: BinaryOp, opStart: Int, _ lhs: Parsed, _ rhs: Parsed, returnBool: Bool,
                    matching explicit: VectorMatching?) throws(ParseError) -> Parsed {
        let lt = lhs.node.type, rt = rhs.node.type
        var matching = explicit ?? VectorMatching(card: .oneToOne)
        if returnBool && !op.isComparison {
            throw error("bool modifier can only be used on comparison operators", at: opStart)
        }
        if op.isComparison && !returnBool && lt == .scalar && rt == .scalar {
            throw error("comparisons between scalars must use BOOL modifier", at: opStart)
        }
        if op.isSetOperator && matching.card == .oneToOne { matching.card = .manyToMany }
        if matching.on {
            for label in matching.labels where matching.include.contains(label) {
                throw error("label \(goQuoted(label)) must not occur in ON and GROUP clause at once", at: opStart)
            }
        }
        if lt != .scalar && lt != .vector {
            throw error("binary expression must contain only scalar and instant vector types", at: lhs.start)
        }
        if rt != .scalar && rt != .vector {
            throw error("binary expression must contain only scalar and instant vector types", at: rhs.start)
        }
        var finalMatching: VectorMatching? = matching
        if lt != .vector || rt != .vector {
            if !matching.labels.isEmpty {
                throw error("vector matching only allowed between instant vectors", at: lhs.start)
            }
            finalMatching = nil
        } else if op.isSetOperator, matching.card == .oneToMany || matching.card == .manyToOne {
            throw error("no grouping allowed for \(goQuoted(op.rawValue)) operation", at: lhs.start)
        }
        if (lt == .scalar || rt == .scalar) && op.isSetOperator {
            throw error("set operator \(goQuoted(op.rawValue)) not allowed in binary scalar expression", at: lhs.start)
        }
        let node = Node.binary(BinaryExpr(op: op, lhs: lhs.node, rhs: rhs.node, matching: finalMatching, returnBool: returnBool))
        return Parsed(node: node, start: lhs.start, end: rhs.end, depth: max(lhs.depth, rhs.depth) + 1)
    }

    mutating func parseLabelList() throws(ParseError) -> [String] {
        _ = try expect(.leftParen, context: "grouping opts", expected: "\"(\"")
        var labels: [String] = []
        while current.kind != .rightParen {
            guard let name = labelName(current) else { throw unexpected("grouping opts", expected: "label") }
            _ = advance()
            labels.append(name)
            if current.kind == .comma { _ = advance(); continue }
            guard current.kind == .rightParen else { throw unexpected("grouping opts", expected: "\",\" or \")\"") }
        }
        _ = advance()
        return labels
    }

    /// Label names may be spelled like keywords (`by`, `on`, `sum`...).
    func labelName(_ token: Token) -> String? {
        switch token.kind {
        case .identifier, .aggregator, .keyword: return String(token.text)
        case .op(let op) where op == .land || op == .lor || op == .lunless || op == .atan2: return String(token.text)
        case .number where token.text.lowercased() == "inf" || token.text.lowercased() == "nan": return String(token.text)
        default: return nil
        }
    }

    mutating func parseAggregate() throws(ParseError) -> Parsed {
        let opToken = advance()
        guard case .aggregator(let op) = opToken.kind else { throw unexpected() }
        var grouping: [String] = []
        var without = false
        var hadGrouping = false
        func isGroupingKeyword(_ kind: TokenKind) -> Bool { kind == .keyword(.by) || kind == .keyword(.without) }
        if isGroupingKeyword(current.kind) {
            without = advance().kind == .keyword(.without)
            grouping = try parseLabelList()
            hadGrouping = true
        }
        _ = try expect(.leftParen, context: "aggregation", expected: "\"(\"")
        var args: [Parsed] = []
        if current.kind != .rightParen {
            while true {
                args.append(try parseExpr(minPrecedence: 0))
                if current.kind == .comma { _ = advance(); continue }
                break
            }
        }
        guard current.kind == .rightParen else { throw unexpected("aggregation", expected: "\",\" or \")\"") }
        var end = advance().end
        if !hadGrouping && isGroupingKeyword(current.kind) {
            without = advance().kind == .keyword(.without)
            grouping = try parseLabelList()
            end = previousEnd
        }
        let expected = op.takesParameter ? 2 : 1
        if args.isEmpty { throw error("no arguments for aggregate expression provided", at: opToken.start) }
        if args.count != expected {
            throw error("wrong number of arguments for aggregate expression provided, expected \(expected), got \(args.count)", at: opToken.start)
        }
        let expr = args[args.count - 1]
        var param: Node?
        if op.takesParameter {
            let want: ValueType = op == .countValues ? .string : .scalar
            try expectType(args[0], want, context: "aggregation parameter")
            param = args[0].node
        }
        try expectType(expr, .vector, context: "aggregation expression")
        let node = Node.aggregate(AggregateExpr(op: op, expr: expr.node, param: param, grouping: grouping, without: without))
        return Parsed(node: node, start: opToken.start, end: end, depth: (args.map(\.depth).max() ?? 0) + 1)
    }

    func expectType(_ parsed: Parsed, _ type: ValueType, context: String) throws(ParseError) {
        let actual = parsed.node.type
        guard actual == type else {
            throw error("expected type \(type.documented) in \(context), got \(actual.documented)", at: parsed.start)
        }
    }

    mutating func parseCall() throws(ParseError) -> Parsed {
        let nameToken = advance()
        let name = String(nameToken.text)
        guard let function = FunctionSignature.named(name) else {
            throw error("unknown function with name \(goQuoted(name))", at: nameToken.start)
        }
        _ = advance() // (
        var args: [Parsed] = []
        while current.kind != .rightParen {
            args.append(try parseExpr(minPrecedence: 0))
            if current.kind == .comma {
                let comma = advance()
                if current.kind == .rightParen {
                    throw error("trailing commas not allowed in function call args", at: comma.start)
                }
                continue
            }
            guard current.kind == .rightParen else { throw unexpected("function call", expected: "\",\" or \")\"") }
        }
        let end = advance().end
        try checkCall(function, args, start: nameToken.start)
        return Parsed(node: .call(CallExpr(function: function, args: args.map(\.node))), start: nameToken.start, end: end,
                      depth: (args.map(\.depth).max() ?? 0) + 1)
    }

    func checkCall(_ function: FunctionSignature, _ args: [Parsed], start: Int) throws(ParseError) {
        let declared = function.args.count
        let quotedName = goQuoted(function.name)
        if function.variadic == 0 {
            if declared != args.count {
                throw error("expected \(declared) argument(s) in call to \(quotedName), got \(args.count)", at: start)
            }
        } else {
            let minimum = declared - 1
            if minimum > args.count {
                throw error("expected at least \(minimum) argument(s) in call to \(quotedName), got \(args.count)", at: start)
            }
            if function.variadic > 0, minimum + function.variadic < args.count {
                throw error("expected at most \(minimum + function.variadic) argument(s) in call to \(quotedName), got \(args.count)", at: start)
            }
        }
        for (i, arg) in args.enumerated() {
            var position = i
            if i >= declared {
                if function.variadic == 0 { break }
                position = declared - 1
            }
            try expectType(arg, function.args[position], context: "call to function \(quotedName)")
        }
    }
}
