import ArgumentParser
import AttributionClient
import AttributionProtocol

/// `attributionctl contributors`: influence on samples summed per contributor.
struct ContributorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contributors",
        abstract: "Sum the training examples' influence on samples per contributor."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: SampleInputOptions
    @OptionGroup var query: QueryOptions

    func run() throws {
        let inline = try input.loadInline()
        let params = AttributeParams(samples: inline?.tensor, paths: inline == nil ? input.absolutePaths : nil, topK: query.topK,
                                     checkpoints: try query.selector(), measurement: try query.measurementName())
        let client = try global.connect()
        defer { client.close() }
        let result = try client.call(.attributeContributors, params, as: AttributeContributorsResult.self)
        if global.json {
            try global.printJSON(result)
        } else {
            print(AttributionReport.render(result, labels: inline?.labels ?? input.pathLabels))
        }
    }
}
