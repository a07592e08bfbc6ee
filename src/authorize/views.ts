import type { AuthorizeSuccessOutcome, MfaRequiredOutcome } from '../flinks/types.ts';

export interface MfaRequiredView extends MfaRequiredOutcome {
  /** When the gateway forgets the round if it is not answered. */
  expiresAt: Date;
}

export type AuthorizeView = AuthorizeSuccessOutcome | MfaRequiredView;
