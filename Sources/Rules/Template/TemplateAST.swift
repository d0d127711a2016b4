/// The parse tree of a Go `text/template`, restricted to what Prometheus templates use.
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(TemplatePipeline)
    case ifBlock(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode]?)
    case withBlock(TemplatePipeline, then: [TemplateNode], otherwise: [TemplateNode]?)
    case rangeBlock(TemplatePipeline, body: [TemplateNode], otherwise: [TemplateNode]?)
    case breakLoop(offset: Int)
    case continueLoop(offset: Int)
    /// `{{template "name" pipeline}}` (also what `{{block}}` leaves in place); `source` is the action's text.
    case templateCall(name: String, argument: TemplatePipeline?, offset: Int, source: String)
}

/// `$x := a | b c` — optional declarations, then commands joined by `|`.
struct TemplatePipeline: Sendable {
    var declarations: [String] = []
    var isAssignment = false
    var commands: [TemplateCommand] = []
    var offset: Int
    /// The source text of the pipeline, for error messages (`at <...>`).
    var source: String
}

/// One command of a pipeline: a function call or a single operand.
struct TemplateCommand: Sendable {
    var args: [TemplateOperand]
    var offset: Int
    /// Where each argument starts, for errors about one argument.
    var argOffsets: [Int] = []
}

/// An operand: a constant, `.`, a field chain, a variable, a function name or a parenthesised pipeline.
indirect enum TemplateOperand: Sendable {
    case dot
    case field([String])
    case variable(String, fields: [String])
    case identifier(String)
    case string(String)
    case number(TemplateNumber)
    case bool(Bool)
    case nilValue
    case pipeline(TemplatePipeline, fields: [String])
}

/// A numeric constant as Go's `text/template` types it: integers stay integers.
enum TemplateNumber: Sendable {
    case int(Int)
    case float(Double)
}
