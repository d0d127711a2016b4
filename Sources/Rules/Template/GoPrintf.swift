import Foundation
import Model

/// Go's `fmt.Sprintf` for template values, including Go's in-band error notation
/// (`%!d(float64=1.5)`, `%!v(MISSING)`, `%!(EXTRA …)`).
enum GoPrintf {
    private struct Spec {
        var flags = ""
        var width: Int?
        var precision: Int?
        var verb: Character = "v"
    }

    static func format(_ format: String, _ args: [TemplateValue]) -> String {
        var out = ""
        var argIndex = 0
        let chars = Array(format)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            guard c == "%" else { out.append(c); continue }
            guard i < chars.count else { out += "%!(NOVERB)"; break }
            var spec = Spec()
            while i < chars.count, "+-# 0".contains(chars[i]) { spec.flags.append(chars[i]); i += 1 }
            spec.width = readNumber(chars, &i)
            if i < chars.count, chars[i] == "." {
                i += 1
                spec.precision = readNumber(chars, &i) ?? 0
            }
            guard i < chars.count else { out += "%!(NOVERB)"; break }
            spec.verb = chars[i]
            i += 1
            if spec.verb == "%" { out += "%"; continue }
            guard argIndex < args.count else { out += "%!\(spec.verb)(MISSING)"; continue }
            out += render(args[argIndex], spec)
            argIndex += 1
        }
        if argIndex < args.count {
            out += "%!(EXTRA " + args[argIndex...].map { "\($0.goType)=\($0.printed)" }.joined(separator: ", ") + ")"
        }
        return out
    }

    /// Go's `parsenum`: a width or precision past a million is "crazy long", so Go gives up on the
    /// rest of the format (which then prints `%!(NOVERB)`) instead of overflowing.
    private static func readNumber(_ chars: [Character], _ i: inout Int) -> Int? {
        var n: Int?
        while i < chars.count, let d = chars[i].wholeNumberValue, chars[i].isASCII {
            if let value = n, value > 1_000_000 {
                i = chars.count
                return nil
            }
            n = (n ?? 0) * 10 + d
            i += 1
        }
        return n
    }

    private static func render(_ value: TemplateValue, _ spec: Spec) -> String {
        let body: String?
        switch value {
        case .float(let f): body = float(f, spec)
        case .int(let n): body = int(n, spec)
        case .string(let s): body = string(s, spec)
        case .bool(let b): body = (spec.verb == "v" || spec.verb == "t") ? (b ? "true" : "false") : nil
        default: body = (spec.verb == "v" || spec.verb == "s") ? value.printed : nil
        }
        guard let text = body else { return "%!\(spec.verb)(\(value.goType)=\(value.printed))" }
        return pad(text, spec, numeric: value.isNumeric)
    }

    private static func float(_ f: Double, _ spec: Spec) -> String? {
        let cflags = spec.flags.filter { $0 == "+" || $0 == " " || $0 == "#" }
        switch spec.verb {
        case "v", "g", "G":
            if spec.precision == nil {
                var s = GoFormat.shortest(f)
                if spec.flags.contains("+"), !s.hasPrefix("-"), !s.hasPrefix("+") { s = "+" + s }
                return spec.verb == "G" ? s.uppercased() : s
            }
            if !f.isFinite { return GoFormat.shortest(f) }
            return String(format: "%\(cflags).\(spec.precision!)\(spec.verb == "v" ? "g" : String(spec.verb))", f)
        case "f", "F", "e", "E":
            if f.isNaN { return "NaN" }
            if f.isInfinite { return f > 0 ? (spec.flags.contains("+") ? "+Inf" : "+Inf") : "-Inf" }
            return String(format: "%\(cflags).\(spec.precision ?? 6)\(spec.verb)", f)
        default: return nil
        }
    }

    private static func int(_ n: Int, _ spec: Spec) -> String? {
        let cflags = spec.flags.filter { $0 == "+" || $0 == " " || $0 == "#" }
        switch spec.verb {
        case "v", "d": return String(format: "%\(cflags)ld", n)
        case "x", "X", "o": return String(format: "%\(cflags)l\(spec.verb)", n)
        case "b": return String(n, radix: 2)
        case "c": return Unicode.Scalar(UInt32(truncatingIfNeeded: n)).map { String(Character($0)) } ?? "\u{FFFD}"
        case "q": return Unicode.Scalar(UInt32(truncatingIfNeeded: n)).map { "'\(Character($0))'" } ?? "'\u{FFFD}'"
        default: return nil
        }
    }

    private static func string(_ s: String, _ spec: Spec) -> String? {
        var text: String
        switch spec.verb {
        case "v", "s": text = s
        case "q": text = goQuoted(s)
        case "x", "X":
            text = s.utf8.map { String(format: spec.verb == "x" ? "%02x" : "%02X", $0) }.joined()
        default: return nil
        }
        if let p = spec.precision, spec.verb == "s" || spec.verb == "v" { text = String(text.prefix(p)) }
        return text
    }

    private static func pad(_ text: String, _ spec: Spec, numeric: Bool) -> String {
        guard let width = spec.width, text.count < width else { return text }
        let fill = width - text.count
        if spec.flags.contains("-") { return text + String(repeating: " ", count: fill) }
        if spec.flags.contains("0") && numeric {
            var body = Substring(text)
            var sign = ""
            if let first = body.first, first == "-" || first == "+" { sign = String(first); body = body.dropFirst() }
            return sign + String(repeating: "0", count: fill) + body
        }
        return String(repeating: " ", count: fill) + text
    }
}

extension TemplateValue {
    var isNumeric: Bool {
        switch self {
        case .int, .float: return true
        default: return false
        }
    }
}
