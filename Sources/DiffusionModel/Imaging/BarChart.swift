import Foundation

/// A horizontal bar chart with labels, values and optional error bars, rendered to an image:
/// used for LDS comparisons and contributor values.
public struct BarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable {
        /// Text left of the bar.
        public let label: String
        /// The bar's value.
        public let value: Double
        /// An interval drawn as a whisker over the bar, if known.
        public let interval: ClosedRange<Double>?

        /// A bar for `value`, optionally with an interval.
        public init(label: String, value: Double, interval: ClosedRange<Double>? = nil) {
            self.label = label
            self.value = value
            self.interval = interval
        }
    }

    /// The chart's title, drawn at the top.
    public let title: String
    /// The bars, top to bottom.
    public let bars: [Bar]

    /// A chart of `bars` under `title`.
    public init(title: String, bars: [Bar]) {
        self.title = title
        self.bars = bars
    }

    /// Draws the chart; the value axis spans every value and interval end, and always 0.
    public func render(barLength: Int = 360, scale: Int = 2) -> RGBImage {
        let lineHeight = RGBImage.textHeight(scale: scale)
        let rowHeight = lineHeight + 6 * scale
        let labelWidth = bars.map { RGBImage.textWidth($0.label, scale: scale) }.max() ?? 0
        let valueWidth = RGBImage.textWidth("-0.0000", scale: scale)
        let margin = 8 * scale
        let width = margin * 4 + labelWidth + barLength + valueWidth
        let top = margin * 2 + lineHeight
        var image = RGBImage(width: max(width, RGBImage.textWidth(title, scale: scale) + 2 * margin),
                             height: top + rowHeight * bars.count + margin, grey: 255)
        image.draw(text: title, x: margin, y: margin, scale: scale)

        var ends: [Double] = [0]
        for bar in bars {
            ends.append(bar.value)
            if let interval = bar.interval { ends += [interval.lowerBound, interval.upperBound] }
        }
        let low = ends.min() ?? 0, high = ends.max() ?? 0
        let span = max(high - low, 1e-12)
        let axisLeft = margin * 2 + labelWidth
        func position(_ value: Double) -> Int { axisLeft + Int(((value - low) / span * Double(barLength)).rounded()) }

        let zero = position(0)
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            image.draw(text: bar.label, x: margin, y: y + 3 * scale, scale: scale)
            let end = position(bar.value)
            image.fill(x: min(zero, end), y: y + scale, width: max(abs(end - zero), 1), height: rowHeight - 2 * scale,
                       colour: bar.value >= 0 ? (70, 110, 190) : (200, 90, 70))
            if let interval = bar.interval {
                let from = position(interval.lowerBound), to = position(interval.upperBound)
                let middle = y + rowHeight / 2
                image.fill(x: from, y: middle, width: max(to - from, 1), height: scale, colour: (0, 0, 0))
                image.fill(x: from, y: middle - 2 * scale, width: scale, height: 5 * scale, colour: (0, 0, 0))
                image.fill(x: to, y: middle - 2 * scale, width: scale, height: 5 * scale, colour: (0, 0, 0))
            }
            image.draw(text: String(format: "%.4f", bar.value), x: axisLeft + barLength + margin, y: y + 3 * scale, scale: scale)
        }
        image.fill(x: zero, y: top - scale, width: scale, height: rowHeight * bars.count + scale, colour: (0, 0, 0))
        return image
    }
}
