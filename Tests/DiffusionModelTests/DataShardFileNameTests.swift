import DiffusionModel
import Testing

@Suite struct DataShardFileNameTests {
    @Test func namesAndKindsAgree() {
        #expect(DataShardFileName.name(.training, number: 3) == "shard-00003.safetensors")
        #expect(DataShardFileName.name(.heldOut, number: 123456) == "heldout-123456.safetensors")
        #expect(DataShardFileName.kind(of: "shard-00003.safetensors") == .training)
        #expect(DataShardFileName.kind(of: "heldout-00000.safetensors") == .heldOut)
        for other in [".shard-00005.safetensors.tmp", "shard-00001.json", "weights.safetensors", "heldout"] {
            #expect(DataShardFileName.kind(of: other) == nil)
        }
    }
}
