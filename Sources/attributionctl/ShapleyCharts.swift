import AttributionProtocol
import DiffusionModel

/// Shapley values as bar charts: one per valuation, stacked top to bottom in one image.
enum ShapleyCharts {
    /// Grey rows between two charts.
    static let separator = 4
    /// The whisker's half-width in standard errors: a 95% normal interval.
    static let intervalStandardErrors = 1.96

    /// One valuation's chart: a bar per contributor in the table's order (better first), each
    /// with value ± 1.96 SE as a whisker when the standard error is not 0 (it is for exact
    /// enumeration, whose title then promises no whiskers).
    static func chart(_ valuation: ShapleyValuation) -> BarChart {
        let sampled = valuation.contributors.contains { $0.standardError > 0 }
        let title = "\(valuation.property) (\(ShapleyReport.direction(valuation.higherIsBetter))), \(valuation.estimator.rawValue), "
            + "step \(valuation.step): " + (sampled ? "value ± \(intervalStandardErrors) SE" : "value")
        let bars = ShapleyReport.ranked(valuation).map { contributor in
            let halfWidth = intervalStandardErrors * contributor.standardError
            return BarChart.Bar(label: Formatting.contributor(id: contributor.contributor, name: contributor.name), value: contributor.value,
                                interval: halfWidth > 0 ? (contributor.value - halfWidth)...(contributor.value + halfWidth) : nil)
        }
        return BarChart(title: title, bars: bars)
    }

    /// Each image below the one before, left-aligned on white, `separator` grey rows between.
    static func stack(_ images: [RGBImage]) -> RGBImage {
        let width = images.map(\.width).max() ?? 0
        let height = images.map(\.height).reduce(0, +) + separator * max(images.count - 1, 0)
        var sheet = RGBImage(width: width, height: height, grey: 255)
        var y = 0
        for (index, image) in images.enumerated() {
            if index > 0 {
                sheet.fill(x: 0, y: y, width: width, height: separator, colour: (160, 160, 160))
                y += separator
            }
            sheet.paste(image, x: 0, y: y)
            y += image.height
        }
        return sheet
    }

    /// The charts of every valuation in one image.
    static func render(_ valuations: [ShapleyValuation]) -> RGBImage {
        stack(valuations.map { chart($0).render() })
    }
}
