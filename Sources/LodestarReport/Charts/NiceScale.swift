import Foundation

/// Axis scale with "nice" tick values (steps of 1, 2 or 5 times a power of ten) covering [min, max].
///
/// Readers compare a point against the grid lines around it, which is only quick when the lines sit on round numbers.
public struct NiceScale: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var step: Double
    /// `lower...upper` by `step`, computed as integer multiples of the step so they carry no rounding noise (0.6, not 0.6000000000000001).
    public var ticks: [Double]

    /// A scale whose ticks cover `min...max` with at most `maxTicks` ticks (clamped to 2...1001).
    ///
    /// The bounds may come in either order. A non-finite bound takes the other one's value (0 when neither is finite).
    /// A flat range (min == max) is widened around the value so it still gets an axis: 0 becomes 0...1, others ±10 %.
    public init(min: Double, max: Double, maxTicks: Int = 5) {
        var low = min.isFinite ? min : (max.isFinite ? max : 0)
        var high = max.isFinite ? max : low
        if low > high { swap(&low, &high) }
        let magnitude = Swift.max(abs(low), abs(high))
        // Below this relative span the difference is Double noise, and tick indices would not fit an exact integer.
        if high - low <= magnitude * 1e-12 {
            if magnitude == 0 {
                (low, high) = (0, 1)
            } else {
                (low, high) = (low - magnitude * 0.1, high + magnitude * 0.1)
            }
        }
        let intervals = Double(Swift.min(Swift.max(1, maxTicks - 1), 1000))
        let span = high - low
        guard span.isFinite, span / intervals > 0 else {
            // Only reachable at the ends of Double's range: show the bounds as they are rather than trap.
            (self.lower, self.upper, self.step, self.ticks) = (low, high, high - low, [low, high])
            return
        }
        var exponent = Int(floor(log10(span / intervals)))
        // Each pass grows the step at least 2x, so a step that fits is found within a few passes.
        for _ in 0..<8 {
            for mantissa in [1.0, 2.0, 5.0] {
                let step = Self.decimal(mantissa, exponent: exponent)
                let first = floor(low / step + 1e-9)
                let last = ceil(high / step - 1e-9)
                // The last tick can overflow next to Double.greatestFiniteMagnitude even when the step does not.
                guard last - first <= intervals, Self.decimal(mantissa * last, exponent: exponent).isFinite else { continue }
                self.step = step
                self.ticks = stride(from: first, through: last, by: 1).map { Self.decimal(mantissa * $0, exponent: exponent) }
                self.lower = self.ticks.first ?? low
                self.upper = self.ticks.last ?? high
                return
            }
            exponent += 1
        }
        (self.lower, self.upper, self.step, self.ticks) = (low, high, span, [low, high])
    }

    /// A tick value as text with just the decimals its step needs ("0", "2.5", "0.25"), no exponent.
    ///
    /// Rounding to the step's precision hides Double noise; trailing zeros are then dropped so the baseline reads "0", not "0.00".
    public func label(_ value: Double) -> String {
        ChartNumber.trimmed(value, maxDecimals: ChartNumber.decimalsNeeded(by: self.step))
    }

    /// `significand` × 10^`exponent`, dividing by an exact power of ten for negative exponents so 3 × 10^-1 is the Double nearest 0.3.
    private static func decimal(_ significand: Double, exponent: Int) -> Double {
        let value = exponent < 0 ? significand / ChartNumber.powerOfTen(-exponent) : significand * ChartNumber.powerOfTen(exponent)
        return value == 0 ? 0 : value  // no -0, which would print as "-0"
    }
}

/// Number formatting for chart markup and labels: fixed decimals, "." always, never an exponent, never locale-dependent.
enum ChartNumber {
    /// `value` with exactly `decimals` decimals (clamped to 0...20); "0" for non-finite values, and no "-0".
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let decimals = Swift.min(Swift.max(decimals, 0), 20)
        let scaled = (abs(value) * Self.powerOfTen(decimals)).rounded()
        guard scaled < 9_007_199_254_740_992 else {
            // Past 2^53 the integer path would lose digits; "%f" never uses an exponent and String(format:) is not localised.
            return String(format: "%.\(decimals)f", value)
        }
        var digits = String(UInt64(scaled))
        if decimals > 0 {
            if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -decimals))
        }
        return value < 0 && scaled != 0 ? "-" + digits : digits
    }

    /// Like `fixed`, but without trailing zeros or a trailing ".", so 12.50 reads "12.5" and 3.0 reads "3".
    static func trimmed(_ value: Double, maxDecimals: Int) -> String {
        var text = Self.fixed(value, decimals: maxDecimals)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A coordinate for SVG markup: one decimal is finer than a pixel and keeps the markup small.
    static func coordinate(_ value: Double) -> String {
        Self.trimmed(value, maxDecimals: 1)
    }

    /// A data value for reading aloud: about three significant digits, more only for small values so they do not read as 0.
    static func readable(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = switch magnitude {
        case 100...: 1
        case 1..<100: 2
        case 0: 0
        default: Swift.min(12, Swift.max(3, Int(-floor(log10(magnitude))) + 2))
        }
        return Self.trimmed(value, maxDecimals: decimals)
    }

    /// The fewest decimals that write `step` exactly (2.5 needs 1, 0.05 needs 2), capped at 20.
    static func decimalsNeeded(by step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        for decimals in 0..<20 {
            let scaled = step * Self.powerOfTen(decimals)
            if abs(scaled - scaled.rounded()) <= scaled * 1e-9 { return decimals }
        }
        return 20
    }

    /// 10^`exponent`, exact up to 10^22 (built by multiplication, not `pow`, whose last bit varies by libm).
    static func powerOfTen(_ exponent: Int) -> Double {
        guard exponent >= 0 else { return 1 / Self.powerOfTen(-exponent) }
        guard exponent <= 22 else { return pow(10, Double(exponent)) }
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }
}
