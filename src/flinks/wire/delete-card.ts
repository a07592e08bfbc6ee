import { z } from 'zod';
import type { FlinksRequest } from '../transport.ts';

/** `DELETE /DeleteCard/{loginId}`: no body. */
export function encodeDeleteCard(loginId: string): FlinksRequest {
  return {
    method: 'DELETE',
    endpoint: 'DeleteCard',
    path: `DeleteCard/${encodeURIComponent(loginId)}`,
  };
}

/**
 * `/DeleteCard`'s 200: `{ StatusCode: 200, Message: "All of the information about LoginId ... has
 * been removed" }`. Only the status is relied on; a StatusCode, when present, must agree. The
 * LoginId's data is gone: `deleted`.
 */
export const DeleteCardBody = z
  .object({
    StatusCode: z.literal(200).optional(),
    HttpStatusCode: z.literal(200).optional(),
    Message: z.string().nullish(),
  })
  .transform(() => 'deleted' as const);
