import Testing
@testable import attributionctl

/// Column alignment of `attributionctl`'s tables.
@Suite struct CtlTextTableTests {
    @Test func padsTextLeftAndNumbersRight() {
        var table = TextTable([.init("RANK", .right), .init("NAME"), .init("SCORE", .right)])
        table.append(["1", "alice", "0.25"])
        table.append(["10", "bo", "-12.5"])
        #expect(table.render() == """
            RANK  NAME   SCORE
               1  alice   0.25
              10  bo     -12.5
            """)
    }

    @Test func leavesNoTrailingSpacesAndWidensForLongCells() {
        var table = TextTable([.init("A"), .init("B")])
        table.append(["a much longer cell", ""])
        let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == ["A                   B", "a much longer cell"])
    }

    @Test func rendersWithoutHeader() {
        var table = TextTable([.init("TITLE THAT WOULD BE WIDE"), .init("", .right)])
        table.append(["run", "/srv"])
        table.append(["connections", "3"])
        #expect(table.render(header: false) == "run          /srv\nconnections     3")
    }

    @Test func anEmptyTableIsItsHeader() {
        #expect(TextTable([.init("STEP", .right), .init("STATUS")]).render() == "STEP  STATUS")
    }
}
