/** A URL whose path holds only letters, digits, `_`, `-` and `/`: its pathname is that text. */
const PLAIN_PATH = /^https?:\/\/[^/?#\\]*(\/[\w/-]*)(?:[?#]|$)/;

/**
 * `url.pathname`, read from `request.url` when the path is plain and parsed only otherwise (dot
 * segments, percent-encoding, ...). The adapter's `url` is parsed on first use; the path checks of
 * /health, /readiness, /metrics and /statements made every request, POST /graphql included,
 * pay for it.
 */
export function pathnameOf(request: Request, url: URL): string {
  return PLAIN_PATH.exec(request.url)?.[1] ?? url.pathname;
}
