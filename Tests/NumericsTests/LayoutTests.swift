import Numerics
import Testing

@Suite("Channel layout conversion")
struct LayoutTests {
    let nchw = randomTensor([2, 3, 4, 5], seed: 80)

    @Test func nchwToNHWCMovesChannelsLast() {
        let nhwc = nchw.nchwToNHWC()
        #expect(nhwc.shape == [2, 4, 5, 3])
        for (n, c, y, x) in [(0, 0, 0, 0), (1, 2, 3, 4), (0, 1, 2, 3), (1, 0, 1, 4)] {
            #expect(nhwc.scalars[((n * 4 + y) * 5 + x) * 3 + c] == nchw.scalars[((n * 3 + c) * 4 + y) * 5 + x])
        }
    }

    @Test func roundTripIsIdentity() {
        #expect(nchw.nchwToNHWC().nhwcToNCHW() == nchw)
        #expect(nchw.nhwcToNCHW().nchwToNHWC() == nchw)
    }
}
