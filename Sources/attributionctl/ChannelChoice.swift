import ArgumentParser

/// How many channels images are sent with: the model's, which the client cannot see.
enum ChannelChoice: String, CaseIterable, ExpressibleByArgument {
    /// Greyscale PNGs (every pixel R = G = B) as one channel, colour ones as three; safetensors
    /// samples as stored.
    case auto
    /// One channel: colour is reduced to luma (ITU-R BT.601 weights).
    case one = "1"
    /// Three channels: grey is repeated into R, G and B.
    case three = "3"

    /// The channel count to convert to, or nil to keep what the file has.
    var forcedCount: Int? {
        switch self {
        case .auto: nil
        case .one: 1
        case .three: 3
        }
    }
}
