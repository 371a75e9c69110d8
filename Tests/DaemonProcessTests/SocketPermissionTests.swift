import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// The socket file carries the configured mode, and the kernel enforces it: with "0660",
    /// a user who is neither the owner nor in the group cannot connect.
    @Suite struct SocketPermissions {
        /// `setpriv` (util-linux) runs a command with other user and group ids.
        static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
        static let nobody = "65534"

        @Test(.timeLimit(.minutes(3)))
        func theSocketHasTheConfiguredMode() throws {
            for mode in ["0660", "0600"] {
                let fixture = try DaemonFixture { $0.socketMode = mode }
                try fixture.startServing()
                let attributes = try FileManager.default.attributesOfItem(atPath: fixture.settings.socketPath)
                #expect(attributes[.type] as? FileAttributeType == .typeSocket)
                #expect((attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } == String(mode.dropFirst()), "mode \(mode)")
            }
        }

        @Test(.enabled(if: getuid() == 0, "only root can run a client as other users"),
              .enabled(if: setpriv != nil, "setpriv is not installed"), .timeLimit(.minutes(3)))
        func onlyTheOwnerAndGroupCanConnect() throws {
            let fixture = try DaemonFixture { $0.socketMode = "0660" }
            try fixture.startServing()
            // The client runs as other users, so it must lie where they can execute it.
            let client = fixture.run.root.appendingPathComponent("attributionctl")
            try FileManager.default.copyItem(at: try DaemonProcess.executable("attributionctl"), to: client)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fixture.run.root.path)
            func status(user: String, group: String) throws -> (status: Int32, output: String, errors: String) {
                let arguments = ["--reuid=\(user)", "--regid=\(group)", "--clear-groups", client.path, "status", "--socket", fixture.settings.socketPath]
                return try DaemonProcess.runToExit(URL(fileURLWithPath: try #require(Self.setpriv)), arguments, in: fixture.run.root)
            }

            let stranger = try status(user: Self.nobody, group: Self.nobody)
            #expect(stranger.status == 69, "a user outside owner and group: status \(stranger.status)\n\(stranger.errors)")
            #expect(stranger.errors.lowercased().contains("permission denied"), "\(stranger.errors)")
            // Same user, but in the socket's group (root's): allowed by the group bits.
            let member = try status(user: Self.nobody, group: "0")
            #expect(member.status == 0, "a member of the socket's group: status \(member.status)\n\(member.errors)")
            #expect(try fixture.client().status().connections >= 1)
        }
    }
}
