import { describe, expect, it } from 'vitest';
import { securityResponses } from '../../src/authorize/answers.ts';
import { InvalidInputError } from '../../src/errors.ts';

const pick = ['What is the name of my mother', 'What is the name of my dog', 'Where did we meet'];
const resetQuestions = [1, 2, 3].map((n) => ({
  type: 'QuestionAndAnswer',
  prompt: `Personal Verification Question ${n}`,
  iterables: pick,
}));

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.issues;
    throw error;
  }
  throw new Error('expected InvalidInputError');
}

describe('securityResponses', () => {
  it('pairs picked questions with distinct challenges whatever their order', () => {
    const responses = [pick[2], pick[0], pick[1]].map((prompt) => ({ prompt, answers: ['x'] }));
    expect(securityResponses(resetQuestions, responses as never)).toEqual({
      [pick[2] as string]: ['x'],
      [pick[0] as string]: ['x'],
      [pick[1] as string]: ['x'],
    });
  });

  it('refuses the same picked question twice and names the unanswered challenge', () => {
    const responses = [pick[0], pick[0], pick[1]].map((prompt) => ({
      prompt: prompt as string,
      answers: ['x'],
    }));
    expect(issuesOf(() => securityResponses(resetQuestions, responses))).toEqual([
      {
        path: ['input', 'responses', '1', 'prompt'],
        message: 'appears twice; each key is sent once',
      },
      { path: ['input', 'responses'], message: 'no answer for "Personal Verification Question 3"' },
    ]);
  });

  it('keeps a prompt named like an Object prototype key as an ordinary key', () => {
    const challenges = [{ type: 'QuestionAndAnswer', prompt: '__proto__', iterables: [] }];
    const result = securityResponses(challenges, [{ prompt: '__proto__', answers: ['a'] }]);
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(JSON.stringify(result)).toBe('{"__proto__":["a"]}');
  });

  it('refuses a blank answer to a question', () => {
    const challenges = [{ type: 'QuestionAndAnswer', prompt: 'Q', iterables: [] }];
    expect(
      issuesOf(() => securityResponses(challenges, [{ prompt: 'Q', answers: ['  '] }])),
    ).toEqual([
      {
        path: ['input', 'responses', '0', 'answers'],
        message: 'needs exactly one answer, not blank',
      },
    ]);
  });

  it('refuses duplicate answers to a MULTIPLE_CHOICE_MULTIPLE_ANSWERS', () => {
    const challenges = [
      { type: 'MultipleChoiceMultipleAnswers', prompt: 'P', iterables: ['a', 'b'] },
    ];
    expect(
      issuesOf(() => securityResponses(challenges, [{ prompt: 'P', answers: ['a', 'a'] }])),
    ).toEqual([
      { path: ['input', 'responses', '0', 'answers'], message: 'lists the same answer twice' },
    ]);
  });
});
