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
        path: ['input', 'responses'],
        message:
          'lack an answer for "Personal Verification Question 3": add a response whose prompt is the question picked not picked yet, one of "Where did we meet"',
      },
      {
        path: ['input', 'responses', '1', 'prompt'],
        message:
          'is the choice responses[0] already picked: pick a different one for each challenge',
      },
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
        message: 'needs an answer that is not blank',
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
      {
        path: ['input', 'responses', '0', 'answers'],
        message: 'lists the same choice twice: send each choice once',
      },
    ]);
  });

  it('answers a picked-question challenge keyed by its prompt with the questions to pick from', () => {
    const responses = [1, 2, 3].map((n) => ({
      prompt: `Personal Verification Question ${n}`,
      answers: ['x'],
    }));
    const issues = issuesOf(() => securityResponses(resetQuestions, responses));
    expect(issues.find((issue) => issue.path.join('.') === 'input.responses.0.prompt')).toEqual({
      path: ['input', 'responses', '0', 'prompt'],
      message:
        'is the prompt of a challenge keyed by a choice (responseKey: CHOSEN_ITERABLE): send the question picked as prompt instead, one of "What is the name of my mother", "What is the name of my dog" or "Where did we meet"',
    });
    expect(issues.filter((issue) => issue.message.startsWith('is the prompt of'))).toHaveLength(3);
  });

  it('answers a TextOrCall keyed by its prompt with the phone numbers to choose from', () => {
    const challenges = [
      { type: 'TextOrCall', prompt: 'Choose a phone number', iterables: ['(514) 1', '(438) 2'] },
    ];
    expect(
      issuesOf(() =>
        securityResponses(challenges, [{ prompt: 'Choose a phone number', answers: ['Text'] }]),
      ),
    ).toEqual([
      {
        path: ['input', 'responses'],
        message:
          'lack an answer for "Choose a phone number": add a response whose prompt is the phone number chosen not picked yet, one of "(514) 1" or "(438) 2"',
      },
      {
        path: ['input', 'responses', '0', 'prompt'],
        message:
          'is the prompt of a challenge keyed by a choice (responseKey: CHOSEN_ITERABLE): send the phone number chosen as prompt instead, one of "(514) 1" or "(438) 2"',
      },
    ]);
  });

  it('names the key meant when only case or spacing differ, and every key when none is near', () => {
    const challenges = [
      { type: 'QuestionAndAnswer', prompt: 'What city were you born in?', iterables: [] },
      { type: 'TextOrCall', prompt: 'Choose a phone number', iterables: ['(514) 1'] },
    ];
    const issues = issuesOf(() =>
      securityResponses(challenges, [
        { prompt: 'what city were you born in? ', answers: ['Montreal'] },
        { prompt: 'Something else', answers: ['Text'] },
      ]),
    );
    expect(issues.filter((issue) => issue.path.length > 2)).toEqual([
      {
        path: ['input', 'responses', '0', 'prompt'],
        message:
          'must match the key byte for byte (case, spaces, punctuation): send "What city were you born in?"',
      },
      {
        path: ['input', 'responses', '1', 'prompt'],
        message:
          'is not a key of this step: send "What city were you born in?"; for "Choose a phone number", the phone number chosen: "(514) 1"',
      },
    ]);
  });

  it('lists the choices a choice answer must be one of, and says how many answers came', () => {
    const challenges = [
      { type: 'MultipleChoice', prompt: 'One', iterables: ['a', 'b'] },
      { type: 'MultipleChoiceMultipleAnswers', prompt: 'Many', iterables: ['x', 'y', 'z'] },
      { type: 'QuestionAndAnswer', prompt: 'Q', iterables: [] },
      { type: 'WaitUntilEUAccept', prompt: 'Approve', iterables: [] },
      { type: 'TextOrCall', prompt: 'Phone', iterables: ['1'] },
    ];
    const issues = issuesOf(() =>
      securityResponses(challenges, [
        { prompt: 'One', answers: ['a', 'b'] },
        { prompt: 'Many', answers: ['x', 'invented'] },
        { prompt: 'Q', answers: ['one', 'two'] },
        { prompt: 'Approve', answers: [] },
        { prompt: '1', answers: ['Email'] },
      ]),
    );
    expect(issues.map((issue) => issue.message)).toEqual([
      'needs exactly one answer, one of its choices byte for byte: "a" or "b" (got 2 answers)',
      'needs one or more answers, each one of its choices byte for byte: "x", "y" or "z" (an answer is not one of them)',
      'needs exactly one answer (got 2): send answers: ["the answer"]',
      'needs exactly one answer once the user approved on their device, e.g. "VERIFIED"',
      'needs exactly one answer, how the code is sent: "Text" (a text message) or "Call" (a phone call)',
    ]);
    // Nothing the caller sent is repeated back.
    expect(JSON.stringify(issues)).not.toContain('invented');
    expect(JSON.stringify(issues)).not.toContain('Email');
  });

  it('reports every problem of the round at once, in input order, in one message', () => {
    const challenges = [
      { type: 'QuestionAndAnswer', prompt: 'A', iterables: [] },
      { type: 'QuestionAndAnswer', prompt: 'B', iterables: [] },
    ];
    let error: unknown;
    try {
      securityResponses(challenges, [
        { prompt: 'a', answers: ['1'] },
        { prompt: 'B', answers: [' '] },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect((error as InvalidInputError).message).toBe(
      'Invalid input: responses lack an answer for "A": add a response with that prompt; responses[0].prompt must match the key byte for byte (case, spaces, punctuation): send "A"; responses[1].answers needs an answer that is not blank',
    );
  });
});
