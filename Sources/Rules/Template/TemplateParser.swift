/// Builds the parse tree from lexer segments: block structure across actions, pipelines within one.
struct TemplateParser {
    private let segments: [TemplateSegment]
    private let chars: [Character]
    private var index = 0
    private var loopDepth = 0
    private var blockDepth = 0
    /// How many lists enclose the one being parsed (0: the top level, where `{{define}}` may be).
    private var listDepth = 0
    /// Templates named by `{{define}}` and `{{block}}`.
    private(set) var definitions: [String: [TemplateNode]] = [:]

    /// How deep `if`/`with`/`range` blocks (`else if` counting as one more) and parentheses may
    /// nest: parsing and executing recurse once per level, so deeper input would overflow the stack.
    static let maxDepth = 100

    init(_ text: String) throws(TemplateError) {
        var lexer = TemplateLexer(text)
        segments = try lexer.segments()
        chars = lexer.chars
    }

    /// How a list of nodes ended: end of input, `{{end}}`, `{{else}}` or `{{else if …}}`.
    private enum Terminator {
        case eof, end, elseBranch, elseIf([TemplateToken], offset: Int, source: String)
    }

    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        let (nodes, terminator, offset) = try parseList()
        switch terminator {
        case .eof: return nodes
        case .end: throw error("unexpected {{end}}", at: offset)
        case .elseBranch, .elseIf: throw error("unexpected {{else}}", at: offset)
        }
    }

    private mutating func parseList() throws(TemplateError) -> ([TemplateNode], Terminator, Int) {
        listDepth += 1
        defer { listDepth -= 1 }
        var nodes: [TemplateNode] = []
        while index < segments.count {
            let segment = segments[index]
            index += 1
            switch segment {
            case .text(let text): nodes.append(.text(text))
            case .action(let tokens, let offset, let source):
                guard let first = tokens.first else { throw error("missing value for command", at: offset) }
                if case .identifier(let keyword) = first.kind {
                    switch keyword {
                    case "end":
                        try expectOnly(tokens, offset: offset)
                        return (nodes, .end, offset)
                    case "else":
                        if tokens.count == 1 { return (nodes, .elseBranch, offset) }
                        if case .identifier("if") = tokens[1].kind {
                            return (nodes, .elseIf(Array(tokens.dropFirst(2)), offset: offset, source: source), offset)
                        }
                        throw error("unexpected \"\(tokenText(tokens[1]))\" in else", at: tokens[1].offset)
                    case "if", "with", "range":
                        nodes.append(try parseBlock(keyword, Array(tokens.dropFirst()), offset: offset, source: source))
                        continue
                    case "break", "continue":
                        guard loopDepth > 0 else { throw error("{{\(keyword)}} outside {{range}}", at: offset) }
                        try expectOnly(tokens, offset: offset)
                        nodes.append(keyword == "break" ? .breakLoop(offset: offset) : .continueLoop(offset: offset))
                        continue
                    case "define":
                        // Go parses a definition only at the top level; elsewhere `define` is a command.
                        guard listDepth == 1 else { throw error("unexpected <define> in command", at: offset) }
                        let name = try templateName(tokens, keyword: keyword, offset: offset)
                        if tokens.count > 2 { throw error("unexpected \"\(tokenText(tokens[2]))\" in define clause", at: tokens[2].offset) }
                        try define(name, body: try parseDefinitionBody(keyword, offset: offset), offset: offset)
                        continue
                    case "template":
                        let name = try templateName(tokens, keyword: keyword, offset: offset)
                        // Go places the call at its name, in errors too.
                        nodes.append(.templateCall(name: name, argument: try templateArgument(tokens, offset: offset, source: source),
                                                   offset: tokens[1].offset, source: source))
                        continue
                    case "block":
                        // `{{block "x" p}}body{{end}}` is `{{define "x"}}body{{end}}{{template "x" p}}`.
                        let name = try templateName(tokens, keyword: keyword, offset: offset)
                        guard let argument = try templateArgument(tokens, offset: offset, source: source) else {
                            throw error("missing value for block clause", at: offset)
                        }
                        try define(name, body: try parseDefinitionBody(keyword, offset: offset), offset: offset)
                        nodes.append(.templateCall(name: name, argument: argument, offset: tokens[1].offset, source: source))
                        continue
                    default: break
                    }
                }
                var p = PipelineParser(tokens: tokens, chars: chars)
                let pipeline = try p.parsePipeline(offset: offset, source: source, allowDeclarations: true)
                nodes.append(.action(pipeline))
            }
        }
        return (nodes, .eof, chars.count)
    }

    private mutating func parseBlock(_ keyword: String, _ tokens: [TemplateToken], offset: Int, source: String) throws(TemplateError) -> TemplateNode {
        guard blockDepth < Self.maxDepth else {
            throw error("{{\(keyword)}} nested too deeply (at most \(Self.maxDepth) levels)", at: offset)
        }
        blockDepth += 1
        defer { blockDepth -= 1 }
        var p = PipelineParser(tokens: tokens, chars: chars)
        let pipeline = try p.parsePipeline(offset: offset, source: source, allowDeclarations: true, isRange: keyword == "range")
        if keyword == "range" { loopDepth += 1 }
        let (body, terminator, termOffset) = try parseList()
        if keyword == "range" { loopDepth -= 1 }
        var otherwise: [TemplateNode]?
        switch terminator {
        case .eof: throw error("unexpected EOF: {{\(keyword)}} has no {{end}}", at: offset)
        case .end: break
        case .elseBranch:
            let (elseBody, elseTerm, elseOffset) = try parseList()
            guard case .end = elseTerm else { throw error("expected end; found \(describe(elseTerm))", at: elseOffset) }
            otherwise = elseBody
        case .elseIf(let elseTokens, let elseOffset, let elseSource):
            guard keyword == "if" else { throw error("unexpected \"if\" in else", at: termOffset) }
            // `else if` is sugar for `else` + nested `if` sharing this block's `end`.
            otherwise = [try parseBlock("if", elseTokens, offset: elseOffset, source: elseSource)]
        }
        switch keyword {
        case "if": return .ifBlock(pipeline, then: body, otherwise: otherwise)
        case "with": return .withBlock(pipeline, then: body, otherwise: otherwise)
        default: return .rangeBlock(pipeline, body: body, otherwise: otherwise)
        }
    }

    /// The quoted name after `define`, `template` or `block`.
    private func templateName(_ tokens: [TemplateToken], keyword: String, offset: Int) throws(TemplateError) -> String {
        guard tokens.count > 1, case .string(let name) = tokens[1].kind else {
            throw error("unexpected \"\(tokens.count > 1 ? tokenText(tokens[1]) : "}}")\" in \(keyword) clause",
                        at: tokens.count > 1 ? tokens[1].offset : offset)
        }
        return name
    }

    /// The pipeline after `{{template "name"` / `{{block "name"`, if any.
    private func templateArgument(_ tokens: [TemplateToken], offset: Int, source: String) throws(TemplateError) -> TemplatePipeline? {
        guard tokens.count > 2 else { return nil }
        var p = PipelineParser(tokens: Array(tokens.dropFirst(2)), chars: chars)
        return try p.parsePipeline(offset: tokens[2].offset, source: source, allowDeclarations: false)
    }

    /// The body of a `define` or `block`, up to its `{{end}}`: a template of its own, so
    /// `{{break}}` and `{{continue}}` refer to no enclosing `{{range}}`.
    private mutating func parseDefinitionBody(_ keyword: String, offset: Int) throws(TemplateError) -> [TemplateNode] {
        guard blockDepth < Self.maxDepth else {
            throw error("{{\(keyword)}} nested too deeply (at most \(Self.maxDepth) levels)", at: offset)
        }
        blockDepth += 1
        let loops = loopDepth
        loopDepth = 0
        defer { blockDepth -= 1; loopDepth = loops }
        let (body, terminator, termOffset) = try parseList()
        switch terminator {
        case .end: return body
        case .eof: throw error("unexpected EOF: {{\(keyword)}} has no {{end}}", at: offset)
        case .elseBranch, .elseIf: throw error("unexpected {{else}}", at: termOffset)
        }
    }

    /// Records a definition. As in Go, a name may be defined twice only if one of the bodies is
    /// empty (spaces only), and a non-empty body wins.
    private mutating func define(_ name: String, body: [TemplateNode], offset: Int) throws(TemplateError) {
        func isEmpty(_ nodes: [TemplateNode]) -> Bool {
            nodes.allSatisfy { if case .text(let text) = $0 { text.allSatisfy(\.isWhitespace) } else { false } }
        }
        if let existing = definitions[name] {
            if isEmpty(body) { return }
            guard isEmpty(existing) else { throw error("template: multiple definition of template \"\(name)\"", at: offset) }
        }
        definitions[name] = body
    }

    private func describe(_ t: Terminator) -> String {
        switch t {
        case .eof: return "EOF"
        case .end: return "end"
        case .elseBranch, .elseIf: return "else"
        }
    }

    private func expectOnly(_ tokens: [TemplateToken], offset: Int) throws(TemplateError) {
        if tokens.count > 1 { throw error("unexpected \"\(tokenText(tokens[1]))\" in \(tokenText(tokens[0]))", at: tokens[1].offset) }
    }

    private func error(_ message: String, at offset: Int) -> TemplateError {
        TemplateError(message, at: offset, in: chars)
    }
}

func tokenText(_ token: TemplateToken) -> String {
    switch token.kind {
    case .identifier(let s), .variable(let s), .number(let s): return s
    case .field(let s): return "." + s
    case .dot: return "."
    case .string(let s): return "\"\(s)\""
    case .char(let c): return "'\(Character(Unicode.Scalar(UInt32(c)) ?? " "))'"
    case .pipe: return "|"
    case .leftParen: return "("
    case .rightParen: return ")"
    case .declare: return ":="
    case .assign: return "="
    case .comma: return ","
    }
}

/// Parses the tokens of one action into a pipeline.
struct PipelineParser {
    let tokens: [TemplateToken]
    let chars: [Character]
    var pos = 0
    /// How many parentheses enclose these tokens.
    var depth = 0

    mutating func parsePipeline(offset: Int, source: String, allowDeclarations: Bool, isRange: Bool = false) throws(TemplateError) -> TemplatePipeline {
        var pipeline = TemplatePipeline(offset: offset, source: source)
        if allowDeclarations { try parseDeclarations(into: &pipeline, isRange: isRange) }
        while pos < tokens.count {
            if case .rightParen = tokens[pos].kind { break }
            let command = try parseCommand()
            pipeline.commands.append(command)
            guard pos < tokens.count else { break }
            switch tokens[pos].kind {
            case .pipe:
                pos += 1
                guard pos < tokens.count else { throw error("missing command after |", at: tokens[pos - 1].offset) }
            case .rightParen: break
            default: throw error("unexpected \"\(tokenText(tokens[pos]))\" in operand", at: tokens[pos].offset)
            }
        }
        if pipeline.commands.isEmpty { throw error("missing value for command", at: offset) }
        return pipeline
    }

    private mutating func parseDeclarations(into pipeline: inout TemplatePipeline, isRange: Bool) throws(TemplateError) {
        guard pos < tokens.count, case .variable(let first) = tokens[pos].kind else { return }
        var names = [first]
        var look = pos + 1
        if isRange, look + 1 < tokens.count, case .comma = tokens[look].kind, case .variable(let second) = tokens[look + 1].kind {
            names.append(second)
            look += 2
        }
        guard look < tokens.count else { return }
        switch tokens[look].kind {
        case .declare: pipeline.isAssignment = false
        case .assign: pipeline.isAssignment = true
        default: return
        }
        pipeline.declarations = names
        pos = look + 1
    }

    private mutating func parseCommand() throws(TemplateError) -> TemplateCommand {
        let start = tokens[pos].offset
        var args: [TemplateOperand] = []
        var offsets: [Int] = []
        while pos < tokens.count {
            switch tokens[pos].kind {
            case .pipe, .rightParen:
                if args.isEmpty { throw error("missing value for command", at: tokens[pos].offset) }
                return TemplateCommand(args: args, offset: start, argOffsets: offsets)
            default:
                if !args.isEmpty && !tokens[pos].spaced { throw error("missing space?", at: tokens[pos].offset) }
                let start = tokens[pos].offset
                let (operand, chainOffset) = try parseOperand()
                offsets.append(chainOffset ?? start)
                args.append(operand)
            }
        }
        return TemplateCommand(args: args, offset: start, argOffsets: offsets)
    }

    /// Returns the operand and, for a field chain, where Go positions it (at the second link).
    private mutating func parseOperand() throws(TemplateError) -> (TemplateOperand, Int?) {
        let token = tokens[pos]
        pos += 1
        var operand: TemplateOperand
        switch token.kind {
        case .dot: operand = .dot
        case .field(let name): operand = .field([name])
        case .variable(let name): operand = .variable(name, fields: [])
        case .string(let s): operand = .string(s)
        case .char(let c): operand = .number(.int(c))
        case .number(let text):
            guard let number = Self.number(text) else { throw error("bad number syntax: \"\(text)\"", at: token.offset) }
            operand = .number(number)
        case .identifier(let name):
            switch name {
            case "true": operand = .bool(true)
            case "false": operand = .bool(false)
            case "nil": operand = .nilValue
            default:
                guard TemplateFunctions.isDefined(name) else { throw error("function \"\(name)\" not defined", at: token.offset) }
                operand = .identifier(name)
            }
        case .leftParen:
            guard depth < TemplateParser.maxDepth else {
                throw error("parentheses nested too deeply (at most \(TemplateParser.maxDepth) levels)", at: token.offset)
            }
            var sub = PipelineParser(tokens: Array(tokens[pos...]), chars: chars, depth: depth + 1)
            let pipeline = try sub.parsePipeline(offset: token.offset, source: "", allowDeclarations: true)
            pos += sub.pos
            guard pos < tokens.count, case .rightParen = tokens[pos].kind else { throw error("unclosed left paren", at: token.offset) }
            pos += 1
            operand = .pipeline(pipeline, fields: [])
        default:
            throw error("unexpected \"\(tokenText(token))\" in operand", at: token.offset)
        }
        // A field directly after an operand (no space) extends it: `$labels.job`, `(first $x).Value`.
        var chainOffset: Int?
        while pos < tokens.count, !tokens[pos].spaced, case .field(let name) = tokens[pos].kind {
            if chainOffset == nil, case .dot = operand {} else if chainOffset == nil { chainOffset = tokens[pos].offset }
            pos += 1
            switch operand {
            case .dot: operand = .field([name])
            case .field(let names): operand = .field(names + [name])
            case .variable(let v, let fields): operand = .variable(v, fields: fields + [name])
            case .pipeline(let p, let fields): operand = .pipeline(p, fields: fields + [name])
            default: throw error("unexpected . after term \"\(tokenText(token))\"", at: tokens[pos - 1].offset)
            }
        }
        return (operand, chainOffset)
    }

    static func number(_ text: String) -> TemplateNumber? {
        let clean = text.filter { $0 != "_" }
        var body = Substring(clean)
        var negative = false
        if body.first == "-" || body.first == "+" { negative = body.first == "-"; body = body.dropFirst() }
        let lower = body.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            guard let v = Int(lower.dropFirst(2), radix: radix) else { return nil }
            return .int(negative ? -v : v)
        }
        if let v = Int(body) {
            if body.count > 1 && body.hasPrefix("0"), let octal = Int(body, radix: 8) { return .int(negative ? -octal : octal) }
            return .int(negative ? -v : v)
        }
        guard let d = Double(body) else { return nil }
        return .float(negative ? -d : d)
    }

    private func error(_ message: String, at offset: Int) -> TemplateError {
        TemplateError(message, at: offset, in: chars)
    }
}
