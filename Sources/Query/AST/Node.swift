import Model

/// The four PromQL value types.
public enum ValueType: String, Sendable, Hashable {
    case scalar, vector, matrix, string

    /// Prometheus' `DocumentedType`, used in type errors.
    var documented: String {
        switch self {
        case .scalar: return "scalar"
        case .vector: return "instant vector"
        case .matrix: return "range vector"
        case .string: return "string"
        }
    }
}

/// Binary operators, in Prometheus' spelling.
enum BinaryOp: String, Sendable, Hashable {
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%", pow = "^", atan2
    case eql = "==", neq = "!=", gtr = ">", lss = "<", gte = ">=", lte = "<="
    case land = "and", lor = "or", lunless = "unless"

    var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: return true
        default: return false
        }
    }

    var isSetOperator: Bool { self == .land || self == .lor || self == .lunless }

    /// Arithmetic results lose the metric name; comparisons, set operators and atan2 keep it (2.42).
    var dropsMetricName: Bool {
        switch self {
        case .add, .sub, .mul, .div, .mod, .pow: return true
        default: return false
        }
    }

    /// Binding strength, higher binds tighter (Prometheus' yacc precedence table).
    var precedence: Int {
        switch self {
        case .lor: return 1
        case .land, .lunless: return 2
        case .eql, .neq, .gtr, .lss, .gte, .lte: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod, .atan2: return 5
        case .pow: return 6
        }
    }
}

/// Aggregation operators.
enum AggregateOp: String, Sendable, Hashable, CaseIterable {
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk, quantile
    case countValues = "count_values"

    var takesParameter: Bool { self == .topk || self == .bottomk || self == .quantile || self == .countValues }
}

/// How the two sides of a binary operation are matched.
struct VectorMatching: Sendable, Hashable {
    enum Cardinality: Sendable, Hashable { case oneToOne, manyToOne, oneToMany, manyToMany }
    var card: Cardinality
    var on: Bool = false
    var labels: [String] = []
    var include: [String] = []
}

/// Where an `@` modifier points.
enum AtModifier: Sendable, Hashable {
    case timestamp(Timestamp)
    case start
    case end
}

/// The length of a range selector: a fixed duration or the calendar extension `today`.
enum RangeLength: Sendable, Hashable {
    case duration(Int64)
    case today
}

struct VectorSelector: Sendable, Hashable {
    var name: String
    var matchers: [Matcher]
    var offset: Int64 = 0
    var at: AtModifier?
}

struct SubqueryExpr: Sendable, Hashable {
    var expr: Node
    var range: Int64
    var step: Int64
    var offset: Int64 = 0
    var at: AtModifier?
}

struct BinaryExpr: Sendable, Hashable {
    var op: BinaryOp
    var lhs: Node
    var rhs: Node
    var matching: VectorMatching?
    var returnBool: Bool
}

struct AggregateExpr: Sendable, Hashable {
    var op: AggregateOp
    var expr: Node
    var param: Node?
    var grouping: [String]
    var without: Bool
}

struct CallExpr: Sendable, Hashable {
    var function: FunctionSignature
    var args: [Node]
}

/// The syntax tree. `indirect` keeps nodes as cheap shared references.
indirect enum Node: Sendable, Hashable {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    case matrixSelector(VectorSelector, RangeLength)
    case subquery(SubqueryExpr)
    case call(CallExpr)
    case aggregate(AggregateExpr)
    case binary(BinaryExpr)
    case unaryMinus(Node)
    /// `+x`: evaluates to `x` unchanged, kept so the expression prints as written.
    case unaryPlus(Node)
    case paren(Node)

    var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector: return .vector
        case .matrixSelector, .subquery: return .matrix
        case .call(let call): return call.function.returns
        case .aggregate: return .vector
        case .binary(let binary):
            return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .unaryMinus(let inner), .unaryPlus(let inner), .paren(let inner): return inner.type
        }
    }

    /// The node without any surrounding parentheses.
    var unwrapped: Node {
        if case .paren(let inner) = self { return inner.unwrapped }
        return self
    }
}

/// A parsed PromQL expression. `description` prints it in Prometheus' canonical form.
public struct Expr: Sendable, Hashable, CustomStringConvertible {
    let node: Node

    init(_ node: Node) { self.node = node }

    /// The type the expression evaluates to (alerting and recording rules need `.vector`).
    public var valueType: ValueType { node.type }

    /// The expression in Prometheus' canonical notation, as `promtool` prints it.
    public var description: String { node.description }
}
