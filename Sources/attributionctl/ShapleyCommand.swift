import ArgumentParser

/// `attributionctl shapley`: contributors credited with Shapley values for global properties of
/// the model.
struct ShapleyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shapley",
        abstract: "Credit contributors with Shapley values for properties of the model: start a refresh, show the values.",
        discussion: """
            Each property (held-out loss, class diversity of samples, kernel distance to held-out data) F is split \
            among the contributors: their values sum to F(all) − F(∅), the property with every contributor's data \
            minus the property with none.
            """,
        subcommands: [ShapleyRefreshCommand.self, ShapleyGetCommand.self]
    )
}
