import AttributionClient
import AttributionProtocol
import DiffusionModel
import Foundation
import Testing

extension DaemonProcesses {
    /// `attributionctl` end to end against a running daemon: tables, JSON, the contact sheet,
    /// and its exit statuses.
    @Suite struct ControlClient {
        /// Runs `attributionctl` with `arguments` and returns its status, output and errors.
        static func control(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String, errors: String) {
            try DaemonProcess.runToExit(try DaemonProcess.executable("attributionctl"), arguments, in: folder)
        }

        /// The protocol's decoding of `text` as `Value`.
        static func decode<Value: Decodable>(_ text: String, as: Value.Type) throws -> Value {
            try ProtocolCoding.makeDecoder().decode(Value.self, from: Data(text.utf8))
        }

        @Test(.timeLimit(.minutes(5)))
        func statusCheckpointsAttributeAndTheContactSheet() throws {
            let fixture = try DaemonFixture()
            let ids = try fixture.run.addShard(0) + fixture.run.addShard(1)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)
            let root = fixture.run.root, socket = fixture.settings.socketPath

            let table = try Self.control(["--socket", socket, "status"], in: root)
            #expect(table.status == 0, "\(table.errors)")
            #expect(table.output.contains(fixture.run.folder.path), "the status table does not show the run:\n\(table.output)")
            let json = try Self.control(["status", "--socket", socket, "--json"], in: root)
            #expect(json.status == 0, "\(json.errors)")
            #expect(try Self.decode(json.output, as: StatusResult.self).examples.training == ids.count)
            let checkpoints = try Self.control(["checkpoints", "--socket", socket, "--json"], in: root)
            #expect(try Self.decode(checkpoints.output, as: CheckpointsResult.self).checkpoints.map(\.step) == [1])

            // A sample PNG, attributed with a contact sheet: one row of the query and its top 3.
            let sample = root.appendingPathComponent("query.png")
            let query = RGBImage(width: 8, height: 8, pixels: (0..<192).map { UInt8(($0 * 53 + 11) % 256) })
            try PNGWriter.write(query, to: sample)
            let sheetURL = root.appendingPathComponent("sheet.png")
            let scale = 16, topK = 3
            let attributed = try Self.control(["attribute", "--socket", socket, "--sample", sample.path, "--top-k", "\(topK)",
                                               "--png", sheetURL.path, "--png-scale", "\(scale)", "--json"], in: root)
            #expect(attributed.status == 0, "\(attributed.errors)")
            let result = try Self.decode(attributed.output, as: AttributeResult.self)
            let top = try #require(result.samples.first?.top)
            #expect(top.count == topK && Set(top.map(\.id)).isSubset(of: ids))

            let sheet = try PNGReader.read(contentsOf: sheetURL)
            let tile = 8 * scale
            #expect(sheet.width >= (1 + topK) * tile && sheet.width <= (1 + topK) * (tile + 40) + 40, "sheet width \(sheet.width)")
            #expect(sheet.height >= tile && sheet.height <= tile + 120, "sheet height \(sheet.height)")
            #expect(SheetSearch.contains(query, scaledBy: scale, in: sheet), "the query image is not on the sheet")
            let best = try fixture.client().call(.example, ExampleParams(id: top[0].id, includeImage: true), as: ExampleResult.self)
            let bestImage = try SheetSearch.image(try #require(best.image))
            #expect(SheetSearch.contains(bestImage, scaledBy: scale, in: sheet), "the best match's image is not on the sheet")
        }

        @Test(.timeLimit(.minutes(3)))
        func exitStatusesTellUnreachableFromRefused() throws {
            let fixture = try DaemonFixture()
            try fixture.startServing()
            let root = fixture.run.root

            let missing = root.appendingPathComponent("nobody-listens.sock").path
            let unreachable = try Self.control(["status", "--socket", missing], in: root)
            #expect(unreachable.status == 69, "status \(unreachable.status): \(unreachable.errors)")
            #expect(unreachable.errors.contains(missing))

            let refused = try Self.control(["example", "424242", "--socket", fixture.settings.socketPath], in: root)
            #expect(refused.status == 1, "status \(refused.status): \(refused.errors)")
            #expect(refused.errors.contains("not found") || refused.errors.contains("-32005"), "\(refused.errors)")

            let usage = try Self.control(["attribute", "--socket", fixture.settings.socketPath], in: root)
            #expect(usage.status == 2, "status \(usage.status): \(usage.errors)")
        }

        @Test(.timeLimit(.minutes(3)))
        func waitReturnsOnceTheCheckpointIsIndexedAndFailsForOneThatCannotBe() throws {
            let fixture = try DaemonFixture()
            let root = fixture.run.root, socket = fixture.settings.socketPath
            let early = try Self.control(["wait", "--ready", "--socket", socket, "--for", "0.5"], in: root)
            #expect(early.status == 1 && early.errors.contains("gave up"), "status \(early.status): \(early.errors)")

            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            #expect(try Self.control(["wait", "--ready", "--socket", socket, "--for", "30"], in: root).status == 0)
            let indexed = try Self.control(["wait", "--indexed", "1", "--socket", socket, "--for", "120"], in: root)
            #expect(indexed.status == 0, "\(indexed.errors)")
            #expect(indexed.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            #expect(try fixture.client().call(.checkpoints, as: CheckpointsResult.self).checkpoints.first?.examples == ids.count)

            try fixture.run.addCheckpointWithMismatchedConfig(step: 2)
            let failed = try Self.control(["wait", "--indexed", "2", "--socket", socket, "--for", "120"], in: root)
            #expect(failed.status == 1 && failed.errors.contains("checkpoint 2 is failed"), "status \(failed.status): \(failed.errors)")
        }
    }
}
