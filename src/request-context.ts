import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface RequestContext {
  requestId: string;
}

/** The request being served, wherever the code is in its async work: log lines carry its id. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

const SAFE_ID = /^[\w.:-]{1,64}$/;

/** The caller's `x-request-id` when it is a sane token, else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && SAFE_ID.test(given) ? given : randomUUID();
}
