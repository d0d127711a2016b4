/// Go's float formatting and the few math routines whose exact results differ between Go and
/// glibc, so printed numbers and computed values match Prometheus bit for bit.
enum GoFloat {
    /// Shortest round-trip decimal digits and decimal-point position of a finite, non-zero |x|.
    private static func digits(_ x: Double) -> (digits: [UInt8], point: Int) {
        // Swift's description is shortest round-trip; re-read its mantissa and exponent.
        let text = String(describing: x.magnitude)
        var mantissa: [UInt8] = []
        var point = 0
        var seenDot = false
        var exponent = 0
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            if ch == "e" || ch == "E" {
                exponent = Int(text[text.index(after: index)...]) ?? 0
                break
            }
            if ch == "." {
                seenDot = true
            } else if let d = ch.wholeNumberValue {
                mantissa.append(UInt8(d))
                if !seenDot { point += 1 }
            }
            index = text.index(after: index)
        }
        // Strip leading zeros (0.00123) and trailing zeros (1200.0).
        while let first = mantissa.first, first == 0, mantissa.count > 1 {
            mantissa.removeFirst()
            point -= 1
        }
        while let last = mantissa.last, last == 0, mantissa.count > 1 { mantissa.removeLast() }
        return (mantissa, point + exponent)
    }

    private static func special(_ x: Double) -> String? {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-Inf" : "+Inf" }
        if x == 0 { return x.sign == .minus ? "-0" : "0" }
        return nil
    }

    /// `strconv.FormatFloat(x, 'f', -1, 64)`: shortest digits, never an exponent.
    static func formatF(_ x: Double) -> String {
        if let s = special(x) { return s }
        let (d, point) = digits(x)
        var out = x < 0 ? "-" : ""
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + d.map(String.init).joined()
        } else if point >= d.count {
            out += d.map(String.init).joined() + String(repeating: "0", count: point - d.count)
        } else {
            out += d[..<point].map(String.init).joined() + "." + d[point...].map(String.init).joined()
        }
        return out
    }

    /// `fmt.Sprint(x)` / `%g` with shortest digits: exponent form when exp < -4 or exp >= 6.
    static func formatG(_ x: Double) -> String {
        if let s = special(x) { return s }
        let (d, point) = digits(x)
        let exp = point - 1
        if exp < -4 || exp >= 6 {
            var out = x < 0 ? "-" : ""
            out += String(d[0])
            if d.count > 1 { out += "." + d[1...].map(String.init).joined() }
            out += exp < 0 ? "e-" : "e+"
            out += String(abs(exp)).leftPadded(to: 2)
            return out
        }
        return formatF(x)
    }

    /// `%.3f`.
    static func formatFixed3(_ x: Double) -> String {
        let scaled = (x * 1000).rounded()
        let negative = scaled < 0
        let magnitude = Int64(abs(scaled))
        return (negative ? "-" : "") + "\(magnitude / 1000)." + String(magnitude % 1000).leftPadded(to: 3)
    }

    /// Go's `math.Max`: NaN wins, +0 beats -0.
    static func max(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x > 0 || y.isInfinite && y > 0 { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? y : x }
        return x > y ? x : y
    }

    /// Go's `math.Min`: NaN wins, -0 beats +0.
    static func min(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x < 0 || y.isInfinite && y < 0 { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? x : y }
        return x < y ? x : y
    }
}

import Foundation

extension GoFloat {
    /// Go's `math.Pow`: integer powers by repeated squaring, so results match Prometheus exactly.
    static func pow(_ x: Double, _ y: Double) -> Double {
        if y == 0 || x == 1 { return 1 }
        if y == 1 { return x }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 {
            if y < 0 { return x.sign == .minus && isOddInt(y) ? -.infinity : .infinity }
            return x.sign == .minus && isOddInt(y) ? x : 0
        }
        if y.isInfinite {
            if x == -1 { return 1 }
            return (abs(x) < 1) == (y > 0) ? 0 : .infinity
        }
        if x.isInfinite {
            if x < 0 { return pow(1 / x, -y) }
            return y < 0 ? 0 : .infinity
        }
        if y == 0.5 { return x.squareRoot() }
        if y == -0.5 { return 1 / x.squareRoot() }
        var (yi, yf) = Foundation.modf(abs(y))
        if yf != 0 && x < 0 { return .nan }
        if yi >= 9.223372036854775807e18 {
            if x == -1 { return 1 }
            return (abs(x) < 1) == (y > 0) ? 0 : .infinity
        }
        var a1 = 1.0
        var ae = 0
        if yf != 0 {
            if yf > 0.5 { yf -= 1; yi += 1 }
            a1 = Foundation.exp(yf * Foundation.log(x))
        }
        var (x1, xe) = Foundation.frexp(x)
        var i = Int64(yi)
        while i != 0 {
            if xe < -(1 << 12) || (1 << 12) < xe {
                ae += xe
                break
            }
            if i & 1 == 1 {
                a1 *= x1
                ae += xe
            }
            x1 *= x1
            xe <<= 1
            if x1 < 0.5 {
                x1 += x1
                xe -= 1
            }
            i >>= 1
        }
        if y < 0 {
            a1 = 1 / a1
            ae = -ae
        }
        return Foundation.scalbn(a1, ae)
    }

    private static func isOddInt(_ x: Double) -> Bool {
        if abs(x) >= 9007199254740992 { return false }
        let (xi, xf) = Foundation.modf(x)
        return xf == 0 && Int64(xi) & 1 == 1
    }

    /// Go's `math.Mod` (same as C's fmod, which is exact).
    static func mod(_ x: Double, _ y: Double) -> Double { Foundation.fmod(x, y) }
}
