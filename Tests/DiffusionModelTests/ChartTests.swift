import DiffusionModel
import Testing

@Suite struct ChartTests {
    @Test func textDrawsTheGlyphPixels() {
        var image = RGBImage(width: 12, height: 7, grey: 255)
        image.draw(text: "1-", x: 0, y: 0)
        // "1" has its stem in column 2 on every row but the last, and its base spans columns 1...3.
        for row in 0..<6 { #expect(image[2, row] == (0, 0, 0)) }
        #expect(image[0, 0] == (255, 255, 255))
        #expect(image[1, 6] == (0, 0, 0) && image[3, 6] == (0, 0, 0))
        // "-" starts one advance (6 pixels) later and is a full row at y = 3.
        for column in 6..<11 { #expect(image[column, 3] == (0, 0, 0)) }
        #expect(image[6, 2] == (255, 255, 255))
        #expect(RGBImage.textWidth("1-") == 11)
        #expect(RGBImage.textWidth("ab", scale: 2) == 22)
    }

    @Test func drawingIsClippedToTheImage() {
        var image = RGBImage(width: 4, height: 4, grey: 0)
        image.fill(x: -3, y: 2, width: 100, height: 100, colour: (9, 9, 9))
        image.draw(text: "WIDE TEXT", x: 1, y: -3, scale: 3)
        image.paste(RGBImage(width: 3, height: 3, grey: 7), x: 2, y: -1)
        #expect(image[0, 3] == (9, 9, 9))
        #expect(image[3, 0] == (7, 7, 7))
    }

    @Test func barsExtendFromZeroInTheirSign() {
        let chart = BarChart(title: "T", bars: [
            BarChart.Bar(label: "A", value: 1, interval: 0.5...1.5),
            BarChart.Bar(label: "B", value: -0.5),
        ])
        let image = chart.render(barLength: 100, scale: 1)
        #expect(image.width > 100)
        let blue = (UInt8(70), UInt8(110), UInt8(190)), red = (UInt8(200), UInt8(90), UInt8(70))
        let count = { (colour: (UInt8, UInt8, UInt8)) in
            (0..<image.height).reduce(0) { sum, y in
                sum + (0..<image.width).filter { image[$0, y] == colour }.count
            }
        }
        // The axis spans −0.5...1.5 over 100 pixels: the positive bar is about 50 pixels long, the
        // negative one about 25, so the blue area is about twice the red.
        let ratio = Double(count(blue)) / Double(max(count(red), 1))
        #expect(ratio > 1.6 && ratio < 2.4)
    }
}
