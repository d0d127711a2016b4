import Model
import TestSupport
@testable import Query

/// Random PromQL from a small grammar: mostly well-typed (so evaluation gets exercised), with a
/// share of wrongly typed arguments, odd literals and hostile regexes for the checker.
struct QueryGenerator {
    var rng: SplitMix
    private let functions = FunctionSignature.all.sorted { $0.name < $1.name }

    init(seed: UInt64) { rng = SplitMix(state: seed) }

    static let metrics = ["requests_total", "temp", "latency_bucket", "weird", "up", "absent_metric", "ns:rule:rate5m"]
    static let labelNames = ["job", "job", "le", "room", "code", "by", "on", "nan", "_x"]
    static let labelValues = ["a", "a", "b", "x", "500", "", "0.5", "+Inf", "x\\\"y\\n", "\\u00e9\\n", "\\x41", "é😀"]
    static let regexes = [
        ".*", ".+", "a|b", "(a|b)*", "a.", "re.*", "[", "(", ")", "\\\\", "(?i)A", "x{2,3}", "\\\\d+", "a**",
        "(?P<n>a)", "[[:alpha:]]+", "\\\\p{L}", "a{1000}", "(a*)*b", "((a|aa)+)+c", "^$", "\\\\Q.\\\\E", "[^\\\\n]",
        "(?s).", "a{2,1}", "\\\\1", "(?<x>.)\\\\k<x>", "[z-a]", "\\\\", "x{99999}", "😀|é", "(?=a)", "\\\\b",
    ]
    static let durations = [
        "1ms", "5m", "1h30m", "0s", "1s", "15s", "1d", "1w2d", "5y", "100y", "292y", "293y",
        "99999999999999h", "1s1ms", "2m1s", "1y1w1d1h1m1s1ms", "0", "1m30", "1M", "60000ms",
    ]
    static let numbers = [
        "1", "0", "2", "0.5", "-1", "0x1F", "0X10", "010", "08", "1e308", "1e309", "-1e309", "1e-400", "Inf", "-Inf",
        "+Inf", "NaN", "nan", "inf", ".5", "5.", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "0x7fffffffffffffff", "0xffffffffffffffffffff", "1.5e-7", "5m", "1h", "123456789012345678901234567890",
        "0x", "1e", "1e+", "0.0000000000000000001", "4.9e-324", "1.7976931348623157e308", "0xAbC", "1_000",
    ]
    static let strings = [
        "\"a\"", "\"\"", "'x'", "`raw\\n`", "\"a\\nb\"", "'it\\'s'", "\"\\x41\\u00e9\\U0001F600\\101\"",
        "\"\\q\"", "\"\\uD800\"", "\"\\U00110000\"", "\"\\x4\"", "\"\\777\"", "\"\\0\"", "\"le\"", "\"job\"",
        "\"$1\"", "\"${1}x$$\"", "\"(.*)\"", "\"(a*)*b\"", "\"\\\"\"", "\"é😀\"", "\"0.5\"", "\"__name__\"", "\"1bad\"",
        "\"\\u+041\"", "\"\\x+1\"", "\"\\u-001\"",
    ]
    static let binaryOps = ["+", "-", "*", "/", "%", "^", "atan2", "==", "!=", ">", "<", ">=", "<=", "and", "or", "unless"]
    static let aggregators = ["sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk",
                              "quantile", "count_values"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// An expression, usually of type `want`; `depth` bounds the nesting.
    mutating func expr(_ want: ValueType? = nil, depth: Int = 0) -> String {
        let type = want ?? pick([.scalar, .vector, .vector, .matrix, .string])
        let leaf = depth > 5 || chance(0.25)
        switch type {
        case .string: return pick(Self.strings)
        case .scalar:
            if leaf { return chance(0.8) ? pick(Self.numbers) : pick(["time()", "pi()"]) }
            switch int(0...4) {
            case 0: return "scalar(\(expr(.vector, depth: depth + 1)))"
            case 1: return "(\(expr(.scalar, depth: depth + 1)))"
            case 2: return "-\(expr(.scalar, depth: depth + 1))"
            case 3: return "\(expr(.scalar, depth: depth + 1)) \(pick(Self.binaryOps)) \(chance(0.5) ? "bool " : "")\(expr(.scalar, depth: depth + 1))"
            default: return call(returning: .scalar, depth: depth)
            }
        case .matrix:
            if leaf || chance(0.5) { return "\(selector())[\(chance(0.05) ? "today" : pick(Self.durations))]\(modifiers())" }
            let step = chance(0.3) ? "" : pick(Self.durations)
            return "(\(expr(.vector, depth: depth + 1)))[\(pick(Self.durations)):\(step)]\(modifiers())"
        case .vector:
            if leaf { return selector() + modifiers() }
            switch int(0...5) {
            case 0: return binary(depth)
            case 1: return aggregate(depth)
            case 2, 3: return call(returning: .vector, depth: depth)
            case 4: return "-(\(expr(.vector, depth: depth + 1)))"
            default: return "(\(expr(.vector, depth: depth + 1)))"
            }
        }
    }

    mutating func selector() -> String {
        var matchers: [String] = []
        for _ in 0..<(chance(0.5) ? 0 : int(1...3)) {
            let name = chance(0.03) ? "__name__" : pick(Self.labelNames)
            let op = pick(["=", "!=", "=~", "!~"])
            let value = op.contains("~") ? pick(Self.regexes) : pick(Self.labelValues)
            matchers.append("\(name)\(op)\"\(value)\"")
        }
        let name = chance(0.85) ? pick(Self.metrics) : ""
        if matchers.isEmpty && (name.isEmpty || chance(0.3)) { return name.isEmpty ? "{job=~\".+\"}" : name }
        return "\(name){\(matchers.joined(separator: ","))}"
    }

    mutating func modifiers() -> String {
        var out = ""
        if chance(0.2) { out += " offset \(pick(["", "-", "+"]))\(pick(Self.durations))" }
        if chance(0.15) {
            let at = pick(["start()", "end()", "0", "100", "-100", "1e10", "9.2e12", "1e300", "NaN", "Inf", "-1.5", "0x10", "1800.123"])
            out += " @ \(at)"
        }
        return out
    }

    mutating func grouping() -> String {
        let names = (0..<int(0...2)).map { _ in pick(Self.labelNames) }.joined(separator: ",")
        return "\(pick(["by", "without"])) (\(names))"
    }

    mutating func binary(_ depth: Int) -> String {
        let op = pick(Self.binaryOps)
        var modifiers = ""
        if chance(0.3) { modifiers += "bool " }
        if chance(0.4) {
            modifiers += "\(pick(["on", "ignoring"]))(\((0..<int(0...2)).map { _ in pick(Self.labelNames) }.joined(separator: ",")))"
            if chance(0.4) { modifiers += " \(pick(["group_left", "group_right"]))\(chance(0.5) ? "(\(pick(Self.labelNames)))" : "")" }
            modifiers += " "
        }
        let lhs = expr(chance(0.8) ? .vector : .scalar, depth: depth + 1)
        let rhs = expr(chance(0.8) ? .vector : .scalar, depth: depth + 1)
        return "\(lhs) \(op) \(modifiers)\(rhs)"
    }

    mutating func aggregate(_ depth: Int) -> String {
        let op = pick(Self.aggregators)
        var args: [String] = []
        switch op {
        case "topk", "bottomk", "quantile": args.append(chance(0.9) ? expr(.scalar, depth: depth + 1) : expr(nil, depth: depth + 1))
        case "count_values": args.append(chance(0.9) ? pick(Self.strings) : expr(nil, depth: depth + 1))
        default: if chance(0.05) { args.append(pick(Self.numbers)) }
        }
        args.append(chance(0.95) ? expr(.vector, depth: depth + 1) : expr(nil, depth: depth + 1))
        let body = "(\(args.joined(separator: ", ")))"
        switch int(0...2) {
        case 0: return op + body
        case 1: return "\(op) \(grouping()) \(body)"
        default: return "\(op)\(body) \(grouping())"
        }
    }

    /// A call to any function of the table, with its declared argument types most of the time.
    mutating func call(returning: ValueType, depth: Int) -> String {
        let candidates = functions.filter { $0.returns == returning }
        let function = chance(0.9) && !candidates.isEmpty ? pick(candidates) : pick(functions)
        var types = function.args
        if function.variadic != 0 {
            if chance(0.5), !types.isEmpty { types.removeLast() }
            if chance(0.3), let last = function.args.last { types += Array(repeating: last, count: int(1...3)) }
        }
        if chance(0.05) { types.append(pick([.scalar, .vector, .matrix, .string])) }
        var args: [String] = []
        for type in types {
            if chance(0.05) {
                args.append(expr(nil, depth: depth + 1))
            } else if type == .string && function.name.hasPrefix("label_") {
                args.append(pick(["\"dst\"", "\"job\"", "\"le\"", "\"\"", "\"1x\"", "\"__name__\"", "\"(.*)\"", "\"$1-$2\"",
                                  "\"(a|b)\"", "\"[\"", "\"(?<n>.)\"", "\"${n}\"", "\"(a*)*b\"", "\"\\\\\""]))
            } else {
                args.append(expr(type, depth: depth + 1))
            }
        }
        return "\(function.name)(\(args.joined(separator: ", ")))"
    }

    /// Byte flips, truncation, deletion, duplication and inserted Unicode on a valid query.
    mutating func mutate(_ query: String) -> String {
        var bytes = Array(query.utf8)
        let inserts = ["é", "😀", "\u{0}", "\u{200B}", "e\u{301}", "\u{FEFF}", "(", ")", "[", "]", "{", "}", "\"", "'", "`",
                       "\\", ",", ":", "@", "offset", " by ", "-", "1e999", "0x", "#", "\n", "=~", "!", "[1ms:1ms]", "today"]
        for _ in 0..<int(1...4) where !bytes.isEmpty {
            let index = int(0...(bytes.count - 1))
            switch int(0...5) {
            case 0: bytes[index] ^= UInt8(1) << UInt8(int(0...7))
            case 1: bytes.removeSubrange(index...)
            case 2: bytes.insert(contentsOf: Array(pick(inserts).utf8), at: index)
            case 3: bytes.removeSubrange(index..<min(bytes.count, index + int(1...8)))
            case 4: bytes[index] = pick(Array("(){}[]\"'`,=~!@:#-+*/^%<> 0159aeEzZx_.\\".utf8))
            default:
                let other = int(0...(bytes.count - 1))
                bytes.insert(contentsOf: bytes[min(index, other)..<max(index, other)].prefix(60), at: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Evaluation times: ordinary ones, and the extremes the API can send and beyond.
    mutating func time() -> Timestamp {
        switch int(0...9) {
        case 0: return pick([Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 9_223_309_901_257_974, -9_223_309_901_257_974])
        case 1: return Int64.random(in: Int64.min...Int64.max, using: &rng)
        case 2: return pick([-1, 0, 1, 86_400_000 * 365 * 300])
        default: return Int64(int(0...2_000_000))
        }
    }

    mutating func step() -> Int64 {
        switch int(0...7) {
        case 0: return pick([0, -1, -15_000, Int64.min, Int64.max, 1])
        case 1: return 1
        default: return pick([15_000, 60_000, 7_000, 300_000])
        }
    }
}
