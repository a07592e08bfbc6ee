import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/simulator/images.ts';
import { defined, type SimulatorHttp, startSimulatorHttp } from '../support/simulator-http.ts';

const CITY = 'What city were you born in?';
const PROMPT = 'Select your security image (hint: the red one)';

interface Decoded {
  readonly format: 'png' | 'gif' | 'bmp';
  readonly width: number;
  readonly height: number;
}

function byte(bytes: Buffer, at: number): number {
  return defined(bytes[at], `byte ${at}`);
}

function checkPng(bytes: Buffer): Decoded {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const typeAndData = bytes.subarray(at + 4, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: typeAndData.subarray(4),
    });
    at += 12 + length;
  }
  expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = defined(chunks[0]).data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([...header.subarray(8)]).toEqual([8, 2, 0, 0, 0]);
  const raw = inflateSync(defined(chunks[1]).data);
  expect(raw.length).toBe(height * (1 + width * 3));
  return { format: 'png', width, height };
}

function lzwDecode(data: Buffer, minCodeSize: number): number[] {
  const clearCode = 1 << minCodeSize;
  const endCode = clearCode + 1;
  const pixels: number[] = [];
  let table: number[][] = [];
  let width = minCodeSize + 1;
  let previous: number[] | undefined;
  let bit = 0;
  while (bit + width <= data.length * 8) {
    let code = 0;
    for (let i = 0; i < width; i++, bit++) {
      code |= ((byte(data, bit >> 3) >> (bit & 7)) & 1) << i;
    }
    if (code === clearCode) {
      table = Array.from({ length: clearCode + 2 }, (_, i) => [i]);
      width = minCodeSize + 1;
      previous = undefined;
      continue;
    }
    if (code === endCode) return pixels;
    const known = table[code];
    let entry: number[];
    if (known !== undefined) entry = known;
    else if (previous !== undefined && code === table.length) {
      entry = [...previous, defined(previous[0])];
    } else throw new Error(`LZW code ${code} is not in the table`);
    pixels.push(...entry);
    if (previous !== undefined) table.push([...previous, defined(entry[0])]);
    previous = entry;
    if (table.length === 1 << width && width < 12) width++;
  }
  throw new Error('The LZW data ends without an end code');
}

function checkGif(bytes: Buffer): Decoded {
  expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const width = bytes.readUInt16LE(6);
  const height = bytes.readUInt16LE(8);
  const flags = byte(bytes, 10);
  expect(flags & 0x80).toBe(0x80);
  const paletteSize = 2 << (flags & 7);
  let at = 13 + 3 * paletteSize;
  expect(byte(bytes, at)).toBe(0x2c);
  expect(bytes.readUInt16LE(at + 5)).toBe(width);
  expect(bytes.readUInt16LE(at + 7)).toBe(height);
  expect(byte(bytes, at + 9) & 0x80).toBe(0);
  at += 10;
  const minCodeSize = byte(bytes, at++);
  const blocks: Buffer[] = [];
  for (let size = byte(bytes, at++); size > 0; size = byte(bytes, at++)) {
    blocks.push(bytes.subarray(at, at + size));
    at += size;
  }
  expect(byte(bytes, at)).toBe(0x3b);
  expect(at).toBe(bytes.length - 1);
  const pixels = lzwDecode(Buffer.concat(blocks), minCodeSize);
  expect(pixels).toHaveLength(width * height);
  expect(pixels.every((index) => index < paletteSize)).toBe(true);
  return { format: 'gif', width, height };
}

function checkBmp(bytes: Buffer): Decoded {
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('BM');
  expect(bytes.readUInt32LE(2)).toBe(bytes.length);
  expect(bytes.readUInt32LE(10)).toBe(54);
  expect(bytes.readUInt32LE(14)).toBe(40);
  const width = bytes.readInt32LE(18);
  const height = bytes.readInt32LE(22);
  expect(bytes.readUInt16LE(28)).toBe(24);
  expect(bytes.length).toBe(54 + height * Math.ceil((width * 3) / 4) * 4);
  return { format: 'bmp', width, height };
}

function decode(base64: string): Decoded {
  const bytes = Buffer.from(base64, 'base64');
  expect(bytes.toString('base64')).toBe(base64);
  if (bytes[0] === 0x89) return checkPng(bytes);
  if (bytes[0] === 0x47) return checkGif(bytes);
  return checkBmp(bytes);
}

describe('the security images of mfa_image', () => {
  let flinks: SimulatorHttp;
  let images: string[];

  async function imageRound(): Promise<string> {
    const first = await flinks.logIn('mfa_image');
    const requestId = defined(first.body.RequestId);
    await flinks.answer(requestId, { [CITY]: ['Montreal'] });
    return requestId;
  }

  beforeAll(async () => {
    flinks = await startSimulatorHttp();
    const requestId = await imageRound();
    const again = await flinks.authorize({ RequestId: requestId });
    images = defined(again.body.SecurityChallenges?.[0]?.Iterables);
  });
  afterAll(() => flinks.close());

  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789', 'latin1'))).toBe(0xcbf43926);
  });

  it('offers sixteen different base64 strings of one to five thousand characters', () => {
    expect(images).toHaveLength(16);
    expect(new Set(images).size).toBe(16);
    for (const image of images) {
      expect(image).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(image.length).toBeGreaterThanOrEqual(1000);
      expect(image.length).toBeLessThanOrEqual(5000);
    }
  });

  it('encodes well-formed PNG, GIF and BMP files, mostly PNG', () => {
    const decoded = images.map(decode);
    const count = (format: Decoded['format']) =>
      decoded.filter((image) => image.format === format).length;
    expect(count('gif')).toBeGreaterThanOrEqual(1);
    expect(count('bmp')).toBeGreaterThanOrEqual(1);
    expect(count('png')).toBeGreaterThan(8);
    for (const image of decoded) {
      expect(image.width).toBeGreaterThanOrEqual(16);
      expect(image.height).toBe(image.width);
    }
  });

  it('accepts exactly one of the sixteen images', async () => {
    const statuses = await Promise.all(
      images.map(async (image) => {
        const requestId = await imageRound();
        const response = await flinks.answer(requestId, { [PROMPT]: [image] });
        return response.status === 401
          ? `${response.status} ${response.body.FlinksCode}`
          : String(response.status);
      }),
    );
    expect(statuses.filter((status) => status === '200')).toHaveLength(1);
    expect(statuses.filter((status) => status === '401 INVALID_SECURITY_RESPONSE')).toHaveLength(
      15,
    );
  });

  it('sends the same images to every session', async () => {
    const requestId = await imageRound();
    const again = await flinks.authorize({ RequestId: requestId });
    expect(again.body.SecurityChallenges?.[0]?.Iterables).toEqual(images);
  });
});
