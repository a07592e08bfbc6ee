import { z } from 'zod';

// Flinks ids look like GUIDs but are not always RFC 4122 (the reference's own LoginId
// 5e115eac-1209-4f19-641c-08d6d484e2fe has no valid variant), so z.uuid() would refuse real ones.
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A LoginId, RequestId or account id as Flinks writes them. */
export const FlinksId = z
  .string()
  .regex(GUID, 'must be a GUID such as 5e115eac-1209-4f19-641c-08d6d484e2fe');
