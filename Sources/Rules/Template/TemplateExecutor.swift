import Model

/// Runtime failure while executing a template, with the action it happened in.
struct TemplateExecError: Error {
    var message: String
    var offset: Int
    var context: String
}

/// Evaluates a parsed template against variables and a dot value, writing Go's output.
struct TemplateExecutor {
    let environment: TemplateEnvironment
    var output = ""
    private let definitions: [String: [TemplateNode]]
    private var variables: [(String, TemplateValue)]
    private var steps = 0
    private var callDepth = 0

    /// How deeply `{{template}}` calls may nest (Go allows 100,000; each level recurses here, so
    /// far fewer keep the stack of a rule thread safe).
    static let maxCallDepth = 100

    /// Commands evaluated plus range iterations, per expansion.
    static let maxSteps = 1_000_000
    /// Output past this fails the expansion (printf widths alone reach 10 MB per verb, as in Go).
    static let maxOutputBytes = 64 << 20

    private enum Flow { case normal, breakLoop, continueLoop }

    init(environment: TemplateEnvironment, root: TemplateValue, definitions: [String: [TemplateNode]] = [:],
         variables: [(String, TemplateValue)]) {
        self.environment = environment
        self.definitions = definitions
        self.variables = [("$", root)] + variables
    }

    mutating func run(_ nodes: [TemplateNode], dot: TemplateValue) throws(TemplateExecError) {
        _ = try execute(nodes, dot: dot)
    }

    private mutating func execute(_ nodes: [TemplateNode], dot: TemplateValue) throws(TemplateExecError) -> Flow {
        for node in nodes {
            let flow = try execute(node, dot: dot)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private mutating func execute(_ node: TemplateNode, dot: TemplateValue) throws(TemplateExecError) -> Flow {
        switch node {
        case .text(let text):
            output += text
        case .action(let pipeline):
            let value = try evalPipeline(pipeline, dot: dot)
            if pipeline.declarations.isEmpty { output += value.printed }
        case .ifBlock(let pipeline, let then, let otherwise):
            return try scoped { (me: inout TemplateExecutor) throws(TemplateExecError) -> Flow in
                let truth = try me.evalPipeline(pipeline, dot: dot).isTrue
                if truth { return try me.execute(then, dot: dot) }
                return try otherwise.map { (o) throws(TemplateExecError) -> Flow in try me.execute(o, dot: dot) } ?? .normal
            }
        case .withBlock(let pipeline, let then, let otherwise):
            return try scoped { (me: inout TemplateExecutor) throws(TemplateExecError) -> Flow in
                let value = try me.evalPipeline(pipeline, dot: dot)
                if value.isTrue { return try me.execute(then, dot: value) }
                return try otherwise.map { (o) throws(TemplateExecError) -> Flow in try me.execute(o, dot: dot) } ?? .normal
            }
        case .rangeBlock(let pipeline, let body, let otherwise):
            return try scoped { (me: inout TemplateExecutor) throws(TemplateExecError) -> Flow in
                try me.executeRange(pipeline, body: body, otherwise: otherwise, dot: dot)
            }
        case .breakLoop: return .breakLoop
        case .continueLoop: return .continueLoop
        case .templateCall(let name, let argument, let offset, let source):
            try call(name, argument: argument, dot: dot, at: offset, context: "{{\(source)}}")
        }
        return .normal
    }

    /// `{{template "name" arg}}`: runs the definition with dot set to `arg` (nil without one)
    /// and, as in Go, no variables but `$`, which is that dot.
    private mutating func call(_ name: String, argument: TemplatePipeline?, dot: TemplateValue,
                               at offset: Int, context: String) throws(TemplateExecError) {
        guard let body = definitions[name] else {
            throw TemplateExecError(message: "template \"\(name)\" not defined", offset: offset, context: context)
        }
        guard callDepth < Self.maxCallDepth else {
            throw TemplateExecError(message: "exceeded maximum template depth (\(Self.maxCallDepth))", offset: offset, context: context)
        }
        let value = try argument.map { (pipeline) throws(TemplateExecError) -> TemplateValue in try evalPipeline(pipeline, dot: dot) } ?? .missing
        let saved = variables
        variables = [("$", value)]
        callDepth += 1
        defer {
            callDepth -= 1
            variables = saved
        }
        _ = try execute(body, dot: value)
    }

    /// Runs `body` with variables declared inside it dropped afterwards, as Go scopes them.
    private mutating func scoped(_ body: (inout TemplateExecutor) throws(TemplateExecError) -> Flow) throws(TemplateExecError) -> Flow {
        let mark = variables.count
        defer { variables.removeSubrange(mark...) }
        return try body(&self)
    }

    private mutating func executeRange(_ pipeline: TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?,
                                       dot: TemplateValue) throws(TemplateExecError) -> Flow {
        var plain = pipeline
        plain.declarations = []
        let value = try evalPipeline(plain, dot: dot)
        let items: [(TemplateValue, TemplateValue)]
        var count = 0
        switch value {
        case .list(let list): items = list.enumerated().map { (.int($0.offset), $0.element) }
        case .stringMap(let map): items = map.keys.sorted().map { (.string($0), .string(map[$0]!)) }
        case .anyMap(let map): items = map.keys.sorted().map { (.string($0), map[$0]!) }
        // `range N` is not materialised: N may be huge, and the step budget ends it.
        case .int(let n): items = []; count = max(n, 0)
        case .missing, .null: items = []
        default: throw fail("range can't iterate over \(value.printed)", pipeline)
        }
        if !items.isEmpty { count = items.count }
        if count == 0 {
            return try otherwise.map { (o) throws(TemplateExecError) -> Flow in try execute(o, dot: dot) } ?? .normal
        }
        for index in 0..<count {
            // Every iteration counts against the step budget, so text-only bodies are bounded too.
            steps += 1
            if steps > Self.maxSteps { throw fail("template too expensive", pipeline) }
            if output.utf8.count > Self.maxOutputBytes { throw fail("template output exceeds \(Self.maxOutputBytes >> 20) MiB", pipeline) }
            let (key, element) = items.isEmpty ? (TemplateValue.int(index), TemplateValue.int(index)) : items[index]
            let mark = variables.count
            switch pipeline.declarations.count {
            case 1: variables.append((pipeline.declarations[0], element))
            case 2: variables.append((pipeline.declarations[0], key)); variables.append((pipeline.declarations[1], element))
            default: break
            }
            let flow = try execute(body, dot: element)
            variables.removeSubrange(mark...)
            if flow == .breakLoop { break }
        }
        return .normal
    }

    mutating func evalPipeline(_ pipeline: TemplatePipeline, dot: TemplateValue) throws(TemplateExecError) -> TemplateValue {
        var value: TemplateValue?
        for command in pipeline.commands {
            value = try evalCommand(command, dot: dot, final: value, pipeline: pipeline)
        }
        let result = value ?? .missing
        for name in pipeline.declarations {
            if pipeline.isAssignment {
                guard let index = variables.lastIndex(where: { $0.0 == name }) else { throw fail("undefined variable: \(name)", pipeline) }
                variables[index].1 = result
            } else {
                variables.append((name, result))
            }
        }
        return result
    }

    private mutating func evalCommand(_ command: TemplateCommand, dot: TemplateValue, final: TemplateValue?,
                                      pipeline: TemplatePipeline) throws(TemplateExecError) -> TemplateValue {
        steps += 1
        if steps > Self.maxSteps { throw fail("template too expensive", pipeline) }
        if output.utf8.count > Self.maxOutputBytes { throw fail("template output exceeds \(Self.maxOutputBytes >> 20) MiB", pipeline) }
        guard case .identifier(let name) = command.args[0] else {
            if command.args.count > 1 || final != nil {
                throw fail("can't give argument to non-function \(describe(command.args[0]))", pipeline, command)
            }
            do throws(TemplateExecError) {
                return try evalOperand(command.args[0], dot: dot, pipeline: pipeline, command: command)
            } catch {
                var located = error
                if error.offset == command.offset, let first = command.argOffsets.first { located.offset = first }
                throw located
            }
        }
        var rest = Array(command.args.dropFirst())
        if name == "and" || name == "or" {
            // Go evaluates `and`/`or` lazily, stopping at the first operand that decides the result.
            var last: TemplateValue = .missing
            var all: [TemplateValue?] = rest.map { _ in nil }
            if let final { all.append(final); rest.append(.nilValue) }
            guard !all.isEmpty else { throw fail("wrong number of args for \(name): want at least 1 got 0", pipeline, command) }
            for i in all.indices {
                if let known = all[i] { last = known } else { last = try evalOperand(rest[i], dot: dot, pipeline: pipeline, command: command) }
                if last.isTrue == (name == "or") { return last }
            }
            return last
        }
        var args: [TemplateValue] = []
        for operand in rest { args.append(try evalOperand(operand, dot: dot, pipeline: pipeline, command: command)) }
        if let final { args.append(final) }
        do {
            return try TemplateFunctions.call(name, args, environment)
        } catch let error as TemplateFunctionError {
            if !error.isCallError, let got = error.wrongType,
               let index = args.indices.first(where: { args[$0].goType == got }), index < rest.count {
                // Go blames the argument, not the call.
                throw TemplateExecError(message: error.message, offset: command.argOffsets[index + 1], context: describe(rest[index]))
            }
            throw fail(error.isCallError ? "error calling \(name): \(error.message)" : error.message, pipeline, command)
        } catch {
            throw fail("error calling \(name): \(error)", pipeline, command)
        }
    }

    private mutating func evalOperand(_ operand: TemplateOperand, dot: TemplateValue, pipeline: TemplatePipeline,
                                      command: TemplateCommand) throws(TemplateExecError) -> TemplateValue {
        switch operand {
        case .dot: return dot
        case .field(let names): return try walk(dot, names, pipeline, command)
        case .variable(let name, let fields):
            guard let value = variables.last(where: { $0.0 == name })?.1 else { throw fail("undefined variable: \(name)", pipeline, command) }
            return try walk(value, fields, pipeline, command)
        case .identifier(let name):
            return try evalCommand(TemplateCommand(args: [.identifier(name)], offset: command.offset), dot: dot, final: nil, pipeline: pipeline)
        case .string(let s): return .string(s)
        case .number(.int(let n)): return .int(n)
        case .number(.float(let f)): return .float(f)
        case .bool(let b): return .bool(b)
        case .nilValue: throw fail("nil is not a command", pipeline, command)
        case .pipeline(let inner, let fields):
            let mark = variables.count
            defer { variables.removeSubrange(mark...) }
            return try walk(evalPipeline(inner, dot: dot), fields, pipeline, command)
        }
    }

    private func walk(_ start: TemplateValue, _ names: [String], _ pipeline: TemplatePipeline,
                      _ command: TemplateCommand) throws(TemplateExecError) -> TemplateValue {
        var value = start
        for name in names {
            switch value {
            case .stringMap(let map): value = .string(map[name] ?? "")
            case .anyMap(let map): value = map[name] ?? .missing
            case .sample(let sample):
                switch name {
                case "Labels": value = .stringMap(sample.labels.dictionary)
                case "Value": value = .float(sample.value)
                default: throw fail("can't evaluate field \(name) in type *template.sample", pipeline, command)
                }
            case .record(let typeName, let fields):
                guard let field = fields.first(where: { $0.0 == name }) else {
                    throw fail("can't evaluate field \(name) in type \(typeName)", pipeline, command)
                }
                value = field.1
            case .missing, .null: throw fail("nil pointer evaluating interface {}.\(name)", pipeline, command)
            default: throw fail("can't evaluate field \(name) in type \(value.goType)", pipeline, command)
            }
        }
        return value
    }

    private func describe(_ operand: TemplateOperand) -> String {
        switch operand {
        case .dot: return "."
        case .field(let names): return names.map { "." + $0 }.joined()
        case .variable(let name, let fields): return name + fields.map { "." + $0 }.joined()
        case .string(let s): return goQuoted(s)
        case .number(.int(let n)): return String(n)
        case .number(.float(let f)): return GoFormat.shortest(f)
        case .bool(let b): return b ? "true" : "false"
        case .identifier(let name): return name
        case .nilValue: return "nil"
        case .pipeline(let p, let fields): return "(" + describe(p) + ")" + fields.map { "." + $0 }.joined()
        }
    }

    private func describe(_ pipeline: TemplatePipeline) -> String {
        pipeline.commands.map { $0.args.map(describe).joined(separator: " ") }.joined(separator: " | ")
    }

    private func fail(_ message: String, _ pipeline: TemplatePipeline, _ command: TemplateCommand? = nil) -> TemplateExecError {
        let context = command.map { $0.args.map(describe).joined(separator: " ") } ?? pipeline.source
        return TemplateExecError(message: message, offset: command?.offset ?? pipeline.offset, context: context)
    }
}
