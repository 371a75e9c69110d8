import AttributionClient
import AttributionProtocol
import DiffusionModel

/// The contact sheet of an `attribute` answer: each query beside its top-k training images.
enum AttributionSheet {
    /// The images of these examples, each asked for once; examples the daemon no longer knows
    /// are left out (their tiles show "no image").
    static func fetchImages(ids: [Int64], client: AttributionClient) throws(ClientError) -> [Int64: SampleTensor] {
        var images: [Int64: SampleTensor] = [:]
        for id in ids where images[id] == nil {
            do {
                if let image = try client.call(.example, ExampleParams(id: id, includeImage: true), as: ExampleResult.self).image {
                    images[id] = image
                }
            } catch .server(let error) where error.knownCode == .notFound {
                continue
            }
        }
        return images
    }

    /// The sheet: one row per sample; `queries` are the samples' images when they could be read
    /// here, `images` the training images by example id.
    static func make(result: AttributeResult, measurement: MeasurementName, queries: SampleImages?, labels: [String],
                     images: [Int64: SampleTensor], scale requestedScale: Int?) -> ContactSheet {
        let scale = requestedScale ?? defaultScale(queries: queries, images: images)
        let rows = result.samples.enumerated().map { index, sample in
            var query = ContactSheet.Tile(image: nil, caption: ["QUERY \(index + 1)", labels.count == result.samples.count ? labels[index] : ""])
            if let queries, index < queries.count {
                query.image = TileImages.rgb(values: queries.image(index), shape: Array(queries.shape.dropFirst()), scale: scale)
            }
            let matches = sample.top.enumerated().map { rank, example in
                ContactSheet.Tile(
                    image: images[example.id].flatMap { TileImages.rgb($0, scale: scale) },
                    caption: ["#\(rank + 1) \(Formatting.score(example.score))",
                              example.contributorName ?? (example.contributor < 0 ? "-" : "CONTRIBUTOR \(example.contributor)"),
                              "ID \(example.id)"])
            }
            return ContactSheet.Row(query: query, matches: matches)
        }
        let steps = result.checkpoints.count == 1 ? "STEP \(result.checkpoints[0])" : "STEPS \(Formatting.steps(result.checkpoints))"
        let top = result.samples.map(\.top.count).max() ?? 0
        return ContactSheet(title: "TOP \(top) TRAINING EXAMPLES, \(measurement.rawValue) AT \(steps)", rows: rows)
    }

    /// The enlargement for the queries' image size, else the first training image's.
    private static func defaultScale(queries: SampleImages?, images: [Int64: SampleTensor]) -> Int {
        if let queries { return TileImages.scale(height: queries.shape[2], width: queries.shape[3]) }
        if let shape = images.values.first?.shape, shape.count >= 2 {
            return TileImages.scale(height: shape[shape.count - 2], width: shape[shape.count - 1])
        }
        return 1
    }
}
