import { deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
type Format = 'png' | 'gif' | 'bmp';

interface ImageSpec {
  readonly colour: Rgb;
  readonly format: Format;
  readonly pattern: (x: number, y: number) => boolean;
}

/** A small picture: a coloured pattern on a light tint of the same colour, with a grain of noise. */
interface Picture {
  readonly width: number;
  readonly height: number;
  /** Palette entries: [0, SHADES) are background shades, [SHADES, 2 * SHADES) foreground shades. */
  readonly palette: readonly Rgb[];
  readonly indices: Uint8Array;
}

const SIZE = 32;
const SHADES = 16;
const GRAIN = 3;

const RED: Rgb = [214, 32, 39];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC), as PNG chunks use it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function clampByte(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}

function shade(colour: Rgb, level: number): Rgb {
  const offset = (level - (SHADES - 1) / 2) * GRAIN;
  return [
    clampByte(colour[0] + offset),
    clampByte(colour[1] + offset),
    clampByte(colour[2] + offset),
  ];
}

function tint(colour: Rgb): Rgb {
  return [
    clampByte(colour[0] * 0.25 + 191),
    clampByte(colour[1] * 0.25 + 191),
    clampByte(colour[2] * 0.25 + 191),
  ];
}

function draw(spec: ImageSpec, seed: number): Picture {
  const background = tint(spec.colour);
  const palette: Rgb[] = [];
  for (let level = 0; level < SHADES; level++) palette.push(shade(background, level));
  for (let level = 0; level < SHADES; level++) palette.push(shade(spec.colour, level));
  let state = (seed * 2654435761) >>> 0 || 1;
  const indices = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      indices[y * SIZE + x] = (spec.pattern(x, y) ? SHADES : 0) + (state % SHADES);
    }
  }
  return { width: SIZE, height: SIZE, palette, indices };
}

function colourAt(picture: Picture, x: number, y: number): Rgb {
  return picture.palette[picture.indices[y * picture.width + x] ?? 0] ?? [0, 0, 0];
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const framed = Buffer.alloc(body.length + 8);
  framed.writeUInt32BE(data.length, 0);
  body.copy(framed, 4);
  framed.writeUInt32BE(crc32(body), body.length + 4);
  return framed;
}

function encodePng(picture: Picture): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(picture.width, 0);
  header.writeUInt32BE(picture.height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const stride = picture.width * 3 + 1;
  const raw = Buffer.alloc(stride * picture.height);
  for (let y = 0; y < picture.height; y++) {
    for (let x = 0; x < picture.width; x++)
      raw.set(colourAt(picture, x, y), y * stride + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function encodeBmp(picture: Picture): Buffer {
  const stride = Math.ceil((picture.width * 3) / 4) * 4;
  const pixelBytes = stride * picture.height;
  const file = Buffer.alloc(54 + pixelBytes);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(54, 10);
  file.writeUInt32LE(40, 14);
  file.writeInt32LE(picture.width, 18);
  file.writeInt32LE(picture.height, 22);
  file.writeUInt16LE(1, 26);
  file.writeUInt16LE(24, 28);
  file.writeUInt32LE(pixelBytes, 34);
  file.writeInt32LE(2835, 38);
  file.writeInt32LE(2835, 42);
  for (let y = 0; y < picture.height; y++) {
    const row = 54 + (picture.height - 1 - y) * stride;
    for (let x = 0; x < picture.width; x++) {
      const [r, g, b] = colourAt(picture, x, y);
      file.set([b, g, r], row + x * 3);
    }
  }
  return file;
}

class BitWriter {
  readonly bytes: number[] = [];
  private buffer = 0;
  private count = 0;

  write(code: number, width: number): void {
    this.buffer |= code << this.count;
    this.count += width;
    while (this.count >= 8) {
      this.bytes.push(this.buffer & 0xff);
      this.buffer >>>= 8;
      this.count -= 8;
    }
  }

  flush(): number[] {
    if (this.count > 0) this.bytes.push(this.buffer & 0xff);
    this.buffer = 0;
    this.count = 0;
    return this.bytes;
  }
}

/** GIF's variable-width LZW, codes packed least significant bit first. */
function lzwEncode(indices: Uint8Array, minCodeSize: number): number[] {
  const clearCode = 1 << minCodeSize;
  const endCode = clearCode + 1;
  const writer = new BitWriter();
  let table = new Map<number, number>();
  let nextCode = endCode + 1;
  let width = minCodeSize + 1;
  writer.write(clearCode, width);
  let prefix = indices[0] ?? 0;
  for (let i = 1; i < indices.length; i++) {
    const symbol = indices[i] ?? 0;
    const key = (prefix << 8) | symbol;
    const known = table.get(key);
    if (known !== undefined) {
      prefix = known;
      continue;
    }
    writer.write(prefix, width);
    if (nextCode === 4096) {
      writer.write(clearCode, width);
      table = new Map();
      nextCode = endCode + 1;
      width = minCodeSize + 1;
    } else {
      if (nextCode >= 1 << width) width++;
      table.set(key, nextCode++);
    }
    prefix = symbol;
  }
  writer.write(prefix, width);
  // The decoder adds one more table entry after reading the last data code, so it may widen first.
  if (nextCode >= 1 << width && width < 12) width++;
  writer.write(endCode, width);
  return writer.flush();
}

function encodeGif(picture: Picture): Buffer {
  const tableBits = Math.max(1, Math.ceil(Math.log2(picture.palette.length)));
  const minCodeSize = Math.max(2, tableBits);
  const head = Buffer.alloc(13);
  head.write('GIF89a', 0, 'latin1');
  head.writeUInt16LE(picture.width, 6);
  head.writeUInt16LE(picture.height, 8);
  head[10] = 0x80 | ((tableBits - 1) << 4) | (tableBits - 1);
  const colourTable = Buffer.alloc(3 * (1 << tableBits));
  for (const [i, colour] of picture.palette.entries()) colourTable.set(colour, i * 3);
  const descriptor = Buffer.alloc(10);
  descriptor[0] = 0x2c;
  descriptor.writeUInt16LE(picture.width, 5);
  descriptor.writeUInt16LE(picture.height, 7);
  const data = lzwEncode(picture.indices, minCodeSize);
  const blocks: number[] = [minCodeSize];
  for (let i = 0; i < data.length; i += 255) {
    const block = data.slice(i, i + 255);
    blocks.push(block.length, ...block);
  }
  blocks.push(0, 0x3b);
  return Buffer.concat([head, colourTable, descriptor, Buffer.from(blocks)]);
}

const ENCODERS: Record<Format, (picture: Picture) => Buffer> = {
  png: encodePng,
  gif: encodeGif,
  bmp: encodeBmp,
};

const centre = (SIZE - 1) / 2;

const SPECS: readonly ImageSpec[] = [
  { colour: [30, 90, 200], format: 'png', pattern: (x) => x % 8 < 4 },
  { colour: [240, 200, 30], format: 'png', pattern: (_x, y) => y % 8 < 4 },
  { colour: [40, 150, 70], format: 'png', pattern: (x, y) => (x >> 3) % 2 === (y >> 3) % 2 },
  { colour: [120, 60, 170], format: 'gif', pattern: (x, y) => (x + y) % 10 < 5 },
  {
    colour: [245, 140, 20],
    format: 'png',
    pattern: (x, y) => Math.hypot(x - centre, y - centre) < 11,
  },
  {
    colour: RED,
    format: 'png',
    pattern: (x, y) => Math.abs(x - centre) + Math.abs(y - centre) < 13,
  },
  {
    colour: [20, 140, 140],
    format: 'png',
    pattern: (x, y) => Math.abs(x - centre) < 4 || Math.abs(y - centre) < 4,
  },
  {
    colour: [25, 25, 25],
    format: 'bmp',
    pattern: (x, y) => x < 4 || y < 4 || x >= SIZE - 4 || y >= SIZE - 4,
  },
  { colour: [140, 200, 40], format: 'png', pattern: (x, y) => y > x },
  { colour: [40, 190, 220], format: 'png', pattern: (x, y) => x % 8 < 4 && y % 8 < 4 },
  { colour: [20, 30, 100], format: 'png', pattern: (x, y) => (x - y + SIZE) % 10 < 5 },
  {
    colour: [128, 128, 128],
    format: 'png',
    pattern: (x, y) => Math.hypot(x - centre, y - centre) % 8 < 4,
  },
  {
    colour: [120, 80, 40],
    format: 'gif',
    pattern: (x, y) => y >= SIZE / 2 && x >= SIZE / 2 - (y - SIZE / 2),
  },
  {
    colour: [128, 128, 0],
    format: 'png',
    pattern: (x, y) => Math.abs(x - y) < 4 || Math.abs(x + y - SIZE + 1) < 4,
  },
  { colour: [170, 140, 220], format: 'bmp', pattern: (_x, y) => y % 6 < 2 },
  { colour: [90, 150, 230], format: 'png', pattern: (x, y) => y < SIZE / 2 !== x < SIZE / 2 },
];

/** The image challenge's 16 choices, base64 of the file bytes, the same on every run. */
export const SECURITY_IMAGES: readonly string[] = SPECS.map((spec, i) =>
  ENCODERS[spec.format](draw(spec, i + 1)).toString('base64'),
);

/** The one image of SECURITY_IMAGES that the `mfa_image` user accepts. */
export const RED_SECURITY_IMAGE: string =
  SECURITY_IMAGES[SPECS.findIndex((spec) => spec.colour === RED)] ?? '';
