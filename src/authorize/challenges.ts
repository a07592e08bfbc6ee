import type { SecurityChallenge } from '../flinks/types.ts';

export const CHALLENGE_KINDS = [
  'QUESTION_AND_ANSWER',
  'MULTIPLE_CHOICE',
  'MULTIPLE_CHOICE_MULTIPLE_ANSWERS',
  'IMAGE_SELECTION',
  'TEXT_OR_CALL',
  'WAIT_UNTIL_EU_ACCEPT',
  'UNKNOWN',
] as const;

export type ChallengeKind = (typeof CHALLENGE_KINDS)[number];

const KIND_BY_TYPE: Record<string, ChallengeKind> = {
  questionandanswer: 'QUESTION_AND_ANSWER',
  multiplechoice: 'MULTIPLE_CHOICE',
  multiplechoicemultipleanswers: 'MULTIPLE_CHOICE_MULTIPLE_ANSWERS',
  imageselection: 'IMAGE_SELECTION',
  textorcall: 'TEXT_OR_CALL',
  waituntileuaccept: 'WAIT_UNTIL_EU_ACCEPT',
};

/** The kind of a challenge from Flinks' `Type`; any Type not known yet is UNKNOWN. */
export function challengeKind(challenge: Pick<SecurityChallenge, 'type'>): ChallengeKind {
  const type = challenge.type.toLowerCase();
  return Object.hasOwn(KIND_BY_TYPE, type) ? (KIND_BY_TYPE[type] as ChallengeKind) : 'UNKNOWN';
}

/**
 * Whether the answer is keyed by the chosen iterable rather than by the prompt: the phone number of
 * a TextOrCall, or the question picked from a QuestionAndAnswer's list (legacy MFA page, cases 2, 6).
 */
export function keyedByIterable(challenge: SecurityChallenge): boolean {
  const kind = challengeKind(challenge);
  return (
    kind === 'TEXT_OR_CALL' || (kind === 'QUESTION_AND_ANSWER' && challenge.iterables.length > 0)
  );
}
