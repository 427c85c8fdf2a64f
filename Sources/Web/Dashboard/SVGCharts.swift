import Foundation

/// Small charts drawn on the server as inline SVG: only numbers and escaped text go in, so they are safe to
/// embed unescaped, and they need no script (the CSP forbids inline script anyway).
enum SVGCharts {
    struct Slice {
        var label: String
        var value: Int
        var color: String
    }

    /// A donut of `slices` with the total in the middle.
    static func donut(_ slices: [Slice], centerCaption: String, size: Int = 180) -> String {
        let total = slices.reduce(0) { $0 + $1.value }
        let center = Double(size) / 2
        let radius = center - 18
        let circumference = 2 * Double.pi * radius
        var svg =
            "<svg class=\"donut\" viewBox=\"0 0 \(size) \(size)\" width=\"\(size)\" height=\"\(size)\" role=\"img\""
        svg += " aria-label=\"\(HTMLEscaping.escape("\(total) \(centerCaption)"))\">"
        svg += circle(center: center, radius: radius, color: "#243244", dash: nil, offset: 0)
        var offset = 0.0
        for slice in slices where slice.value > 0 && total > 0 {
            let length = circumference * Double(slice.value) / Double(total)
            svg += circle(
                center: center, radius: radius, color: slice.color, dash: (length, circumference - length),
                offset: -offset)
            offset += length
        }
        svg +=
            "<text x=\"\(fmt(center))\" y=\"\(fmt(center - 2))\" class=\"donut-total\" text-anchor=\"middle\">\(total)</text>"
        svg += "<text x=\"\(fmt(center))\" y=\"\(fmt(center + 20))\" class=\"donut-caption\" text-anchor=\"middle\">"
        svg += "\(HTMLEscaping.escape(centerCaption))</text></svg>"
        return svg
    }

    private static func circle(center: Double, radius: Double, color: String, dash: (Double, Double)?, offset: Double)
        -> String
    {
        var element = "<circle cx=\"\(fmt(center))\" cy=\"\(fmt(center))\" r=\"\(fmt(radius))\" fill=\"none\""
        element += " stroke=\"\(HTMLEscaping.escape(color))\" stroke-width=\"26\""
        if let dash {
            element += " stroke-dasharray=\"\(fmt(dash.0)) \(fmt(dash.1))\" stroke-dashoffset=\"\(fmt(offset))\""
            element += " transform=\"rotate(-90 \(fmt(center)) \(fmt(center)))\""
        }
        return element + "/>"
    }

    /// A sparkline of `values` (oldest first) with a filled area. It stretches to its box, so it holds no text or
    /// round markers (they would distort); the caption lives in the page.
    static func sparkline(_ values: [Int], width: Int = 420, height: Int = 90, label: String) -> String {
        let count = max(values.count, 2)
        let peak = max(values.max() ?? 0, 1)
        let stepX = Double(width) / Double(count - 1)
        let baseline = Double(height - 2)
        let points = values.enumerated().map { index, value -> (Double, Double) in
            (Double(index) * stepX, baseline - Double(value) / Double(peak) * Double(height - 10))
        }
        let line = points.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
        var svg = "<svg class=\"sparkline\" viewBox=\"0 0 \(width) \(height)\" preserveAspectRatio=\"none\""
        svg += " role=\"img\""
        svg += " aria-label=\"\(HTMLEscaping.escape(label))\">"
        for fraction in [0.25, 0.5, 0.75] {
            let y = fmt(baseline - fraction * Double(height - 10))
            svg += "<line x1=\"0\" y1=\"\(y)\" x2=\"\(width)\" y2=\"\(y)\" stroke=\"#1f2d44\" stroke-width=\"1\""
            svg += " vector-effect=\"non-scaling-stroke\"/>"
        }
        if let first = points.first, let last = points.last {
            svg += "<polygon points=\"\(fmt(first.0)),\(fmt(baseline)) \(line) \(fmt(last.0)),\(fmt(baseline))\""
            svg += " fill=\"#ef4444\" fill-opacity=\"0.2\"/>"
            svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"#f87171\" stroke-width=\"2.5\""
            svg += " stroke-linejoin=\"round\" vector-effect=\"non-scaling-stroke\"/>"
        }
        svg += "<line x1=\"0\" y1=\"\(fmt(baseline))\" x2=\"\(width)\" y2=\"\(fmt(baseline))\" stroke=\"#3a4b66\""
        svg += " stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/></svg>"
        return svg
    }

    private static func fmt(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
