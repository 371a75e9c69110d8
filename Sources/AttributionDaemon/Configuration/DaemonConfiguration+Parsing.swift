import TOMLKit

extension DaemonConfiguration {
    /// Parses and validates TOML text; `source` names it in errors.
    ///
    /// Unknown sections and keys are refused before any value is read, so a typo is reported as
    /// such rather than silently leaving a setting at its default. Keys left out keep their defaults,
    /// except `run.directory`, which is required.
    public static func parse(toml: String, source: String) throws(ConfigurationError) -> DaemonConfiguration {
        let root = try parseTable(toml, source: source)
        try rejectUnknownNames(in: root, source: source)
        var configuration = DaemonConfiguration()
        for key in ConfigurationSchema.keys {
            guard let node = root[key.section]?.table?[key.name] else { continue }
            try key.apply(ConfigurationValue(node: node, key: key.dottedName, source: source), &configuration)
        }
        try configuration.checkRulesAcrossKeys(source: source)
        return configuration
    }

    /// Reads and parses a file.
    public static func load(contentsOf path: String) throws(ConfigurationError) -> DaemonConfiguration {
        try parse(toml: ConfigurationFile.readText(at: path), source: path)
    }

    private static func parseTable(_ toml: String, source: String) throws(ConfigurationError) -> TOMLTable {
        // The parser reads a C string, which would silently end at a NUL; TOML forbids NUL anyway.
        if let nul = toml.utf8.firstIndex(of: 0) {
            var (line, column) = (1, 1)
            for byte in toml.utf8[..<nul] {
                (line, column) = byte == UInt8(ascii: "\n") ? (line + 1, 1) : (line, column + 1)
            }
            throw .syntax(source: source, line: line, column: column, reason: "NUL characters are not allowed")
        }
        do {
            return try TOMLTable(string: toml)
        } catch let error as TOMLParseError {
            throw .syntax(source: source, line: error.source.begin.line, column: error.source.begin.column, reason: error.description)
        } catch {
            throw .syntax(source: source, line: 1, column: 1, reason: "\(error)")
        }
    }

    private static func rejectUnknownNames(in root: TOMLTable, source: String) throws(ConfigurationError) {
        let allKeys = ConfigurationSchema.keys
        for (name, node) in root {
            guard ConfigurationSchema.sections.contains(name) else {
                if node.type == .table {
                    let suggestion = KeySuggestion.closest(to: name, among: ConfigurationSchema.sections)
                    throw .unknownSection(source: source, section: name, suggestion: suggestion, known: ConfigurationSchema.sections)
                }
                // A key written above every section header, e.g. `directory = …` without `[run]`.
                let suggestion = allKeys.first { $0.name == name }?.dottedName
                throw .unknownKey(source: source, key: name, suggestion: suggestion, known: allKeys.map(\.dottedName))
            }
            guard let table = node.table else {
                throw .wrongType(
                    source: source, key: name, expected: "a table (a [\(name)] section)",
                    found: ConfigurationValue.describeFound(node)
                )
            }
            let sectionKeys = ConfigurationSchema.keys(in: name)
            for keyName in table.keys where !sectionKeys.contains(where: { $0.name == keyName }) {
                // A near miss in the same section first, else the same name in another section.
                let suggestion = KeySuggestion.closest(to: keyName, among: sectionKeys.map(\.name)).map { "\(name).\($0)" }
                    ?? allKeys.first { $0.name == keyName }?.dottedName
                throw .unknownKey(source: source, key: "\(name).\(keyName)", suggestion: suggestion, known: sectionKeys.map(\.dottedName))
            }
        }
    }

    /// Rules that involve more than one key, checked once every key is read.
    private func checkRulesAcrossKeys(source: String) throws(ConfigurationError) {
        guard !run.directory.isEmpty else {
            throw .missingKey(source: source, key: "run.directory", meaning: "the training directory to watch")
        }
        let topKRange = "1 to \(query.maxTopK) (query.max_top_k)"
        guard query.defaultTopK <= query.maxTopK else {
            throw .outOfRange(source: source, key: "query.default_top_k", value: String(query.defaultTopK), allowed: topKRange)
        }
        guard probes.topK <= query.maxTopK else {
            throw .outOfRange(source: source, key: "probes.top_k", value: String(probes.topK), allowed: topKRange)
        }
    }
}
