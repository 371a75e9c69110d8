import DiffusionModel
import Foundation
import Numerics

/// Reads the images to attribute from files, as the daemon expects them inline: channels first,
/// values in [-1, 1] (8-bit pixels map to `x / 127.5 − 1`, as data shards do).
enum SampleFiles {
    /// The images of a PNG file, or of a safetensors file's `images` or `samples` tensor
    /// (`[N, C, H, W]` or `[C, H, W]`; float in [-1, 1] or uint8 in 0...255).
    static func load(path: String, channels: ChannelChoice) throws(SampleFileError) -> SampleImages {
        let url = URL(fileURLWithPath: path)
        let images = url.pathExtension.lowercased() == "png" ? try loadPNG(url, channels: channels) : try loadSafeTensors(url)
        guard let target = channels.forcedCount, target != images.shape[1] else { return images }
        return try convert(images, toChannels: target, path: path)
    }

    /// Reads a PNG; with `auto`, a grey image (R = G = B everywhere) becomes one channel.
    static func loadPNG(_ url: URL, channels: ChannelChoice) throws(SampleFileError) -> SampleImages {
        let image: RGBImage
        do { image = try PNGReader.read(contentsOf: url) } catch {
            guard case .cannotRead(_, let reason) = error else { throw .unreadable(path: url.path, reason: "\(error)") }
            throw .unreadable(path: url.path, reason: reason)
        }
        return fromRGB(image, grey: channels == .auto && isGrey(image), label: url.lastPathComponent)
    }

    /// One image `[1, C, H, W]` from RGB pixels: the red channel alone when `grey`, else R, G, B.
    static func fromRGB(_ image: RGBImage, grey: Bool, label: String) -> SampleImages {
        let channels = grey ? 1 : 3
        let plane = image.width * image.height
        var values = [Float](repeating: 0, count: channels * plane)
        for pixel in 0..<plane {
            for channel in 0..<channels {
                values[channel * plane + pixel] = Float(image.pixels[pixel * 3 + channel]) / 127.5 - 1
            }
        }
        return SampleImages(values: values, shape: [1, channels, image.height, image.width], labels: [label])
    }

    /// Whether every pixel has equal red, green and blue.
    static func isGrey(_ image: RGBImage) -> Bool {
        let pixels = image.pixels
        for base in stride(from: 0, to: pixels.count, by: 3) where pixels[base] != pixels[base + 1] || pixels[base] != pixels[base + 2] {
            return false
        }
        return true
    }

    /// Converts one-channel images to three (repeating the plane) or three to one (luma).
    static func convert(_ images: SampleImages, toChannels target: Int, path: String) throws(SampleFileError) -> SampleImages {
        let (count, channels, height, width) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        guard [1, 3].contains(channels), [1, 3].contains(target) else {
            throw .cannotConvertChannels(path: path, from: channels, to: target)
        }
        let plane = height * width
        var values = [Float](repeating: 0, count: count * target * plane)
        for image in 0..<count {
            let source = image * channels * plane, destination = image * target * plane
            for pixel in 0..<plane {
                if target == 3 {
                    for channel in 0..<3 { values[destination + channel * plane + pixel] = images.values[source + pixel] }
                } else {
                    let (red, green, blue) = (images.values[source + pixel], images.values[source + plane + pixel], images.values[source + 2 * plane + pixel])
                    values[destination + pixel] = 0.299 * red + 0.587 * green + 0.114 * blue
                }
            }
        }
        return SampleImages(values: values, shape: [count, target, height, width], labels: images.labels)
    }

    /// Reads the `images` or `samples` tensor of a safetensors file.
    static func loadSafeTensors(_ url: URL) throws(SampleFileError) -> SampleImages {
        let images: Tensor
        do { images = try SampleImagesFile.read(contentsOf: url) } catch { throw SampleFileError(error) }
        let count = images.shape[0]
        let labels = count == 1 ? [url.lastPathComponent] : (0..<count).map { "\(url.lastPathComponent)[\($0)]" }
        return SampleImages(values: images.scalars, shape: images.shape, labels: labels)
    }
}
