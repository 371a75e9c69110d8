import DiffusionModel
import Foundation

/// `shapley-values.png`: per property, every contributor's value under each estimator side by
/// side. Each estimator's values are divided by their largest magnitude for that property, so
/// estimators in different units (retraining and influence differ in scale) compare by shape.
enum ShapleyBenchmarkChart {
    /// The charts of every property, stacked top to bottom.
    static func render(report: ShapleyBenchmarkReport, estimators: [ShapleyBenchmarkEstimate]) -> RGBImage {
        let charts = report.properties.enumerated().map { p, property in
            let normalised = estimators.map { estimate in
                let scale = estimate.values[p].map(abs).max() ?? 0
                return estimate.values[p].map { scale > 0 ? $0 / scale : 0 }
            }
            let bars = report.contributors.enumerated().flatMap { player, name in
                estimators.indices.map { e in BarChart.Bar(label: "\(name): \(estimators[e].estimator)", value: normalised[e][player]) }
            }
            let direction = property.higherIsBetter ? "higher is better" : "lower is better"
            return BarChart(title: "\(property.name) (\(direction)): each estimator scaled to its largest magnitude", bars: bars).render()
        }
        let width = charts.map(\.width).max() ?? 1
        var image = RGBImage(width: width, height: max(1, charts.reduce(0) { $0 + $1.height }), grey: 255)
        var y = 0
        for chart in charts {
            image.paste(chart, x: 0, y: y)
            y += chart.height
        }
        return image
    }
}
