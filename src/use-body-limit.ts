import type { IncomingMessage } from 'node:http';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * Refuses a POST body over `maxBytes` with 413, from its declared length or while reading it,
 * then hands the bytes to Yoga's own parser for the content type.
 */
export function useBodyLimit(maxBytes: number): Plugin {
  const tooLarge = () =>
    createGraphQLError(`The request body is over ${maxBytes} bytes.`, {
      extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
    });
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext, fetchAPI }) {
      if (request.method !== 'POST' || !requestParser) return;
      const declared = request.headers.get('content-length');
      // Over node:http, a declared length is the body's length (its parser refuses a body that
      // says both Content-Length and Transfer-Encoding): within the limit, Yoga's parser reads
      // the body once, as it would without this plugin.
      if (
        declared !== null &&
        Number(declared) <= maxBytes &&
        (serverContext as { req?: IncomingMessage } | undefined)?.req?.headers['content-length'] ===
          declared
      ) {
        return;
      }
      setRequestParser(async (req) => {
        if (Number(declared) > maxBytes) throw tooLarge();
        const body = await readLimited(req.body, maxBytes);
        if (body === null) throw tooLarge();
        return requestParser(
          new fetchAPI.Request(req.url, { method: 'POST', headers: req.headers, body }),
        );
      });
    },
  };
}

/** The whole stream, or null as soon as it passes `maxBytes` (the rest is not read). */
async function readLimited(stream: ReadableStream<Uint8Array> | null, maxBytes: number) {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
