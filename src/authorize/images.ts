export interface SecurityImage {
  /** The iterable exactly as Flinks sent it: the answer to send back. */
  value: string;
  mimeType: string | null;
  /** A `data:` URL a page can put in `<img src>`; null when the bytes are not a known image format. */
  dataUrl: string | null;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The MIME type of an image from its first bytes, or null. SVG is left out: it can carry script. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(0, 2) === 'BM' && bytes.length >= 26) return 'image/bmp';
  if (starts(0x00, 0x00, 0x01, 0x00)) return 'image/x-icon';
  return null;
}

export function securityImage(value: string): SecurityImage {
  const base64 = value.replace(/\s+/g, '');
  if (!BASE64.test(base64)) return { value, mimeType: null, dataUrl: null };
  const mimeType = sniffImageType(Buffer.from(base64.slice(0, 64), 'base64'));
  return { value, mimeType, dataUrl: mimeType ? `data:${mimeType};base64,${base64}` : null };
}
