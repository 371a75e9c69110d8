#!/usr/bin/env python3
"""Writes the PNG and zlib fixtures of the Swift PNG reader and inflater into
Tests/DiffusionModelTests/Fixtures/png/ (or the folder given as the first argument).

PNG files come from two independent encoders: Pillow (palette, greyscale, grey+alpha, RGBA,
1-bit, 16-bit grey, RGB with Pillow's own filter choice) and a minimal encoder below that
sets each row's filter type explicitly (all five types), writes 16-bit colour and Adam7
interlacing (Pillow writes neither), compressing with zlib at level 9. `expected.json` holds
each image's RGB bytes computed from the source arrays, not from any decoder: 16-bit samples
keep their high byte, alpha is dropped, grey is replicated, 1-bit is scaled to 0/255. Every
file is then decoded with Pillow and checked against those bytes before anything is written.

`inflate/` holds zlib streams (and one raw deflate stream) of deterministic payloads made
with Python's zlib at levels 0, 1, 6, 9 and with the fixed-Huffman, run-length,
Huffman-only and full-flush variants; `inflate.json` lists them. The payloads are not
stored: they are rebuilt from `lcg_bytes`, which the Swift tests repeat.

Usage: python3 Scripts/make-png-fixtures.py [OUTPUT_FOLDER]   (needs numpy and Pillow)."""
import io, json, os, struct, sys, zlib
import numpy as np
from PIL import Image, __version__ as pillow_version

OUT = sys.argv[1] if len(sys.argv) > 1 else "Tests/DiffusionModelTests/Fixtures/png"


def lcg_bytes(seed, count):
    """Bytes from a 64-bit LCG (Knuth's MMIX constants): the top byte of each state."""
    state, out = seed, bytearray()
    for _ in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        out.append(state >> 56)
    return bytes(out)


def skewed_bytes(seed, count):
    """8 * (trailing zero bits of a 16-bit random value, 16 for 0) + a random value below 8,
    drawing three LCG bytes per output byte."""
    source, out = lcg_bytes(seed, 3 * count), bytearray()
    for i in range(count):
        value = source[3 * i] << 8 | source[3 * i + 1]
        zeros = 16 if value == 0 else (value & -value).bit_length() - 1
        out.append(zeros * 8 + (source[3 * i + 2] & 7))
    return bytes(out)


# ---- minimal PNG encoder with explicit per-row filters -------------------------------------

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_rows(raw_rows, stride, filters):
    """Applies filter `filters[i % 5]` to row i; `raw_rows` are lists of ints 0..255."""
    out, previous = bytearray(), [0] * len(raw_rows[0]) if raw_rows else []
    for i, row in enumerate(raw_rows):
        kind = filters[i % len(filters)]
        out.append(kind)
        for x, value in enumerate(row):
            left = row[x - stride] if x >= stride else 0
            up = previous[x]
            up_left = previous[x - stride] if x >= stride else 0
            prediction = [0, left, up, (left + up) // 2, paeth(left, up, up_left)][kind]
            out.append((value - prediction) % 256)
        previous = row
    return bytes(out)


def sample_bytes(pixels, depth):
    """Row bytes of an [h, w, c] integer array: 16-bit big-endian, or below 8 bits packed with
    the leftmost sample in the most significant bits, the last byte padded with zeros."""
    if depth >= 8:
        return [list(row.astype(">u2" if depth == 16 else "u1").tobytes()) for row in pixels]
    rows = []
    for row in pixels:
        samples = row.flatten().tolist()
        samples += [0] * (-len(samples) % (8 // depth))
        rows.append([sum(v << (8 - depth * (k + 1)) for k, v in enumerate(samples[i:i + 8 // depth]))
                     for i in range(0, len(samples), 8 // depth)])
    return rows


def encode_png(pixels, colour_type, depth, interlaced=False, filters=(0, 1, 2, 3, 4)):
    h, w, c = pixels.shape
    stride = max(1, c * depth // 8)
    if interlaced:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        data = b""
        for x0, y0, dx, dy in passes:
            sub = pixels[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                data += filter_rows(sample_bytes(sub, depth), stride, filters)
    else:
        data = filter_rows(sample_bytes(pixels, depth), stride, filters)
    header = struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, 1 if interlaced else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"tEXt", b"Comment\x00fixture")
            + chunk(b"IDAT", zlib.compress(data, 9)) + chunk(b"IEND", b""))


def pillow_png(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


# ---- the images ------------------------------------------------------------------------------

rng = np.random.default_rng(20240611)


def smooth_rgb(h, w, depth=8):
    """Gradients plus noise, so every filter type predicts something non-trivial."""
    top = 2**depth - 1
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * top // max(w - 1, 1), y * top // max(h - 1, 1), (x + y) * top // (w + h)], axis=-1)
    noise = rng.integers(-(top // 16), top // 16 + 1, size=(h, w, 3))
    return np.clip(base + noise, 0, top).astype(np.int64)


cases = {}  # name -> (png bytes, expected [h, w, 3] uint8)

rgb8 = smooth_rgb(7, 9)
cases["rgb8-filters"] = (encode_png(rgb8, 2, 8), rgb8)
cases["rgb8-pillow"] = (pillow_png(Image.fromarray(rgb8.astype(np.uint8), "RGB"), optimize=True), rgb8)

rgb16 = smooth_rgb(6, 5, depth=16)
cases["rgb16"] = (encode_png(rgb16, 2, 16), rgb16 >> 8)

rgba16 = np.concatenate([smooth_rgb(5, 6, depth=16), rng.integers(0, 65536, size=(5, 6, 1))], axis=-1)
cases["rgba16"] = (encode_png(rgba16, 6, 16, filters=(4, 3, 2, 1, 0)), rgba16[..., :3] >> 8)

interlaced = smooth_rgb(11, 13)
cases["rgb8-adam7"] = (encode_png(interlaced, 2, 8, interlaced=True), interlaced)
tiny_interlaced = smooth_rgb(2, 3)  # several Adam7 passes are empty
cases["rgb8-adam7-tiny"] = (encode_png(tiny_interlaced, 2, 8, interlaced=True), tiny_interlaced)

# Few distinct levels make Paeth's three-way ties frequent, so its tie-breaking order matters.
levels = rng.choice([0, 60, 120, 180, 240], size=(8, 8, 3))
cases["rgb8-paeth"] = (encode_png(levels, 2, 8, filters=(4,)), levels)

grey2 = rng.integers(0, 4, size=(9, 10))
cases["grey2-adam7"] = (encode_png(grey2[..., None], 0, 2, interlaced=True, filters=(1, 4, 3, 2, 0)),
                        np.repeat((grey2 * 85)[..., None], 3, -1))

grey = smooth_rgb(6, 7)[..., 0]
cases["grey8"] = (pillow_png(Image.fromarray(grey.astype(np.uint8))), np.repeat(grey[..., None], 3, -1))

grey16 = smooth_rgb(5, 4, depth=16)[..., 1]
cases["grey16"] = (pillow_png(Image.fromarray(grey16.astype(np.uint16))), np.repeat((grey16 >> 8)[..., None], 3, -1))

grey_alpha = np.stack([grey, rng.integers(0, 256, size=grey.shape)], axis=-1)
cases["grey-alpha8"] = (pillow_png(Image.fromarray(grey_alpha.astype(np.uint8))), np.repeat(grey[..., None], 3, -1))

rgba = np.concatenate([smooth_rgb(5, 8), rng.integers(0, 256, size=(5, 8, 1))], axis=-1)
cases["rgba8"] = (pillow_png(Image.fromarray(rgba.astype(np.uint8))), rgba[..., :3])

bits = rng.integers(0, 2, size=(5, 11))
cases["grey1"] = (pillow_png(Image.fromarray((bits * 255).astype(np.uint8)).convert("1")),
                  np.repeat((bits * 255)[..., None], 3, -1))

def paletted_case(colours, height, width, **options):
    """A palette image using `colours` random entries; Pillow picks the bit depth from the
    palette size (at most 4 entries: 2 bits, 16: 4 bits, more: 8) unless `bits` says otherwise."""
    palette = rng.integers(0, 256, size=(colours, 3))
    indices = rng.integers(0, colours, size=(height, width))
    image = Image.frombytes("P", (width, height), indices.astype(np.uint8).tobytes())
    image.putpalette(palette.astype(np.uint8).flatten().tolist())
    return pillow_png(image, **options), palette[indices]


cases["palette8"] = paletted_case(40, 6, 9)
cases["palette4"] = paletted_case(6, 5, 9)
cases["palette2"] = paletted_case(4, 3, 7)

# ---- check with Pillow, then write ---------------------------------------------------------

os.makedirs(os.path.join(OUT, "inflate"), exist_ok=True)
expected = {}
for name, (png, pixels) in cases.items():
    pixels = pixels.astype(np.uint8)
    decoded = Image.open(io.BytesIO(png))
    if decoded.mode in ("I;16", "I;16B", "I"):  # Pillow clips 16-bit grey when converting
        decoded = np.repeat((np.array(decoded).astype(np.int64) >> 8)[..., None], 3, -1).astype(np.uint8)
    elif name in ("rgb16", "rgba16"):  # Pillow reduces 16-bit colour to 8 bits itself
        decoded = None
    else:
        decoded = np.array(decoded.convert("RGB"))
    if decoded is not None and not np.array_equal(decoded, pixels):
        sys.exit(f"{name}: Pillow decodes other pixels than expected")
    with open(os.path.join(OUT, f"{name}.png"), "wb") as f:
        f.write(png)
    h, w, _ = pixels.shape
    expected[name] = {"width": w, "height": h, "rgb": pixels.flatten().tolist()}

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump({"pillow": pillow_version, "numpy": np.__version__, "zlib": zlib.ZLIB_VERSION,
               "images": expected}, f, sort_keys=True, separators=(",", ":"))
    f.write("\n")

payloads = {
    "empty": b"",
    "random": lcg_bytes(1, 4096),
    # 136 symbols whose probabilities fall from 2^-4 to 2^-19: Huffman codes of every length
    "skewed": skewed_bytes(4, 4096),
    # zero runs (length 258, distance 1), a 300-byte block repeated, and a two-byte period
    "repeats": bytes(3000) + lcg_bytes(2, 300) * 10 + b"ab" * 500,
    # the same kilobyte again after 20,000 zeros: distances beyond 16 KiB
    "far": lcg_bytes(3, 1000) + bytes(20000) + lcg_bytes(3, 1000),
}


def compress(payload, level, strategy=zlib.Z_DEFAULT_STRATEGY, wbits=15, flush_at=None):
    compressor = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, strategy)
    if flush_at is None:
        return compressor.compress(payload) + compressor.flush()
    return (compressor.compress(payload[:flush_at]) + compressor.flush(zlib.Z_FULL_FLUSH)
            + compressor.compress(payload[flush_at:]) + compressor.flush())


streams = []
levels = {"empty": (0, 1, 6, 9), "skewed": (0, 1, 6, 9), "repeats": (0, 1, 6, 9),
          "random": (0, 9),  # incompressible: zlib falls back to stored blocks at every level
          "far": (1, 6, 9)}  # stored it would take 22 KB, and stored blocks are covered above
for payload, payload_levels in levels.items():
    for level in payload_levels:
        streams.append((f"{payload}-level{level}.zlib", payload, "zlib", compress(payloads[payload], level)))
streams += [
    ("repeats-fixed.zlib", "repeats", "zlib", compress(payloads["repeats"], 9, zlib.Z_FIXED)),
    ("repeats-rle.zlib", "repeats", "zlib", compress(payloads["repeats"], 6, zlib.Z_RLE)),
    ("skewed-huffman-only.zlib", "skewed", "zlib", compress(payloads["skewed"], 6, zlib.Z_HUFFMAN_ONLY)),
    ("repeats-full-flush.zlib", "repeats", "zlib", compress(payloads["repeats"], 6, flush_at=3500)),
    ("repeats-level6.deflate", "repeats", "deflate", compress(payloads["repeats"], 6, wbits=-15)),
]
manifest = []
for file, payload, form, data in streams:
    check = zlib.decompress(data, -15 if form == "deflate" else 15)
    assert check == payloads[payload], file
    with open(os.path.join(OUT, "inflate", file), "wb") as f:
        f.write(data)
    manifest.append({"file": file, "payload": payload, "format": form})
with open(os.path.join(OUT, "inflate.json"), "w") as f:
    json.dump({"zlib": zlib.ZLIB_VERSION, "streams": manifest}, f, indent=1, sort_keys=True)
    f.write("\n")
print(f"wrote {len(cases)} PNG files and {len(streams)} compressed streams to {OUT}")
