import ArgumentParser
import AttributionProtocol
import Foundation

/// Where the images to attribute come from: files read here and sent inline, or paths the
/// daemon reads itself.
struct SampleInputOptions: ParsableArguments {
    @Option(name: .customLong("sample"), help: ArgumentHelp(
        "A PNG or safetensors file (`images` or `samples` tensor, [N,C,H,W] or [C,H,W]) read here and sent inline (repeatable).",
        valueName: "file"))
    var samples: [String] = []

    @Option(name: .customLong("path"), help: ArgumentHelp(
        "A PNG or safetensors file the daemon reads itself; it must lie in one of its allowed directories (repeatable).",
        valueName: "file"))
    var paths: [String] = []

    @Option(help: "Channels of --sample images: auto (grey PNGs as 1, colour as 3), 1 or 3; must match the model.")
    var channels: ChannelChoice = .auto

    func validate() throws {
        guard samples.isEmpty != paths.isEmpty else { throw ValidationError("Give either --sample files or --path files, not both and not neither.") }
    }

    /// The images read from `--sample` files, or nil when `--path` was used.
    func loadInline() throws(SampleFileError) -> SampleImages? {
        guard !samples.isEmpty else { return nil }
        var parts: [SampleImages] = []
        for path in samples { parts.append(try SampleFiles.load(path: path, channels: channels)) }
        return try SampleImages.concatenate(parts)
    }

    /// The `--path` files' images read here, for the contact sheet: the daemon's files are
    /// usually readable here too; nil when one is not, and the sheet shows no query images.
    func loadPathsLocally() -> SampleImages? {
        var parts: [SampleImages] = []
        for path in paths {
            guard let part = try? SampleFiles.load(path: path, channels: channels) else { return nil }
            parts.append(part)
        }
        return try? SampleImages.concatenate(parts)
    }

    /// The `--path` files made absolute against the working directory, as the daemon needs them.
    var absolutePaths: [String] {
        paths.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// A label per `--path` file, for tables (the daemon does not say how many images each holds).
    var pathLabels: [String] {
        paths.map { URL(fileURLWithPath: $0).lastPathComponent }
    }
}
