import { describe, expect, it } from 'vitest';
import { challengeKind } from '../../src/authorize/challenges.ts';

describe('challengeKind', () => {
  it('reads Flinks’ Type whatever its case', () => {
    expect(challengeKind({ type: 'QuestionAndAnswer' })).toBe('QUESTION_AND_ANSWER');
    expect(challengeKind({ type: 'TEXTORCALL' })).toBe('TEXT_OR_CALL');
  });

  it('makes any Type it does not know UNKNOWN, one named like an object property too', () => {
    for (const type of ['PushNotificationCode', 'constructor', 'toString', '__proto__']) {
      expect(challengeKind({ type })).toBe('UNKNOWN');
    }
  });
});
