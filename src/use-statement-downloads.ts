import type { FetchAPI, Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { DataService } from './data/service.ts';
import { GatewayError, RateLimitedError } from './errors.ts';
import { pathnameOf } from './request-path.ts';

/**
 * Serves `GET /statements/{token}`: the PDF a signed, short-lived link names. The link is the
 * credential (it fits an `<a href>`), checked against the session's owner, so it runs before
 * caller authentication.
 */
export function useStatementDownloads(data: DataService, logger: Logger): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (!pathnameOf(request, url).startsWith('/statements/')) return;
      return download(request, url, fetchAPI, endResponse);
    },
  };

  async function download(
    request: Request,
    url: URL,
    fetchAPI: FetchAPI,
    endResponse: (response: Response) => void,
  ): Promise<void> {
    const json = (status: number, message: string, headers: Record<string, string> = {}) =>
      endResponse(
        new fetchAPI.Response(JSON.stringify({ error: message }), {
          status,
          headers: {
            'content-type': 'application/json',
            'cache-control': 'no-store',
            ...headers,
          },
        }),
      );
    if (request.method !== 'GET') return json(405, 'Use GET.', { allow: 'GET' });
    try {
      const file = await data.download(url.pathname.slice('/statements/'.length), request.signal);
      if (!file) return json(404, 'This link is invalid or has expired.');
      endResponse(
        new fetchAPI.Response(new Uint8Array(file.bytes), {
          headers: {
            'content-type': 'application/pdf',
            'content-disposition': `attachment; filename="statement-${file.id.replace(/[^\w-]/g, '')}.pdf"`,
            'cache-control': 'private, no-store',
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      logger.warn({ code: error.code, flinksCode: error.flinksCode }, 'statement download refused');
      if (error instanceof RateLimitedError) {
        const wait = String(error.retryAfterSeconds ?? 60);
        return json(429, error.message, { 'retry-after': wait });
      }
      if (error.retryable) return json(503, error.message, { 'retry-after': '5' });
      json(404, 'This link is invalid or has expired.');
    }
  }
}
