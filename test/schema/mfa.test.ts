import { describe, expect, it } from 'vitest';
import { RED_SECURITY_IMAGE } from '../../src/simulator/images.ts';
import { ANSWER_MFA, AUTHORIZE, answer, credentials, useTestGateway } from '../support/gateway.ts';

const gw = useTestGateway();

async function start(username: string) {
  const { body } = await gw.graphql(AUTHORIZE, credentials(username));
  expect(body.errors).toBeUndefined();
  expect(body.data.authorize.__typename).toBe('MfaRequired');
  return body.data.authorize;
}

async function respond(requestId: string, responses: Record<string, string[]>) {
  const { status, body } = await gw.graphql(ANSWER_MFA, answer(requestId, responses));
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return body.data.answerMfa;
}

/** Runs `fn` and returns how many Authorize calls reached the simulator meanwhile. */
async function upstreamCallsDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = gw.authorizeCalls();
  await fn();
  return gw.authorizeCalls() - before;
}

describe('the seven MFA cases of the reference', () => {
  it('case 1: answers a triple question step in one call', async () => {
    const step = await start('mfa_triple');
    expect(step.challenges.map((c: { type: string }) => c.type)).toEqual([
      'QUESTION_AND_ANSWER',
      'QUESTION_AND_ANSWER',
      'QUESTION_AND_ANSWER',
    ]);
    const answers: Record<string, string> = { mother: 'Louise', father: 'Paul', dog: 'Wouf' };
    const responses = Object.fromEntries(
      step.challenges.map((c: { prompt: string }) => [
        c.prompt,
        [Object.entries(answers).find(([who]) => c.prompt.includes(who))?.[1] ?? ''],
      ]),
    );
    expect((await respond(step.requestId, responses)).__typename).toBe('AuthorizeSuccess');
  });

  it('case 2: keys each answer by the question picked from the iterables', async () => {
    const step = await start('mfa_reset_questions');
    expect(step.challenges).toHaveLength(3);
    for (const challenge of step.challenges) {
      expect(challenge).toMatchObject({
        type: 'QUESTION_AND_ANSWER',
        responseKey: 'CHOSEN_ITERABLE',
      });
      expect(challenge.iterables.length).toBeGreaterThanOrEqual(3);
    }
    const picked = step.challenges[0].iterables.slice(0, 3) as string[];
    const done = await respond(
      step.requestId,
      Object.fromEntries(picked.map((question, i) => [question, [`answer ${i}`]])),
    );
    expect(done.__typename).toBe('AuthorizeSuccess');
  });

  it('case 3: a question, then an image grid answered with a ready data URL', async () => {
    const step = await start('mfa_image');
    const images = await respond(step.requestId, { [step.challenges[0].prompt]: ['Montreal'] });
    expect(images.__typename).toBe('MfaRequired');
    const [challenge] = images.challenges;
    expect(challenge.type).toBe('IMAGE_SELECTION');
    expect(challenge.images).toHaveLength(16);
    const types = new Set(challenge.images.map((i: { mimeType: string }) => i.mimeType));
    expect(types).toContain('image/png');
    expect(types).toContain('image/gif');
    expect(types).toContain('image/bmp');
    for (const image of challenge.images) {
      expect(image.dataUrl).toBe(`data:${image.mimeType};base64,${image.value}`);
    }
    const red = challenge.images.find((i: { value: string }) => i.value === RED_SECURITY_IMAGE);
    expect(red).toBeDefined();
    const done = await respond(images.requestId, { [challenge.prompt]: [red.dataUrl] });
    expect(done.__typename).toBe('AuthorizeSuccess');
  });

  it('case 4: a SecurID code, then a regular question', async () => {
    const step = await start('mfa_securid');
    expect(step.challenges[0].prompt).toBe('Enter your SecurID');
    const next = await respond(step.requestId, { 'Enter your SecurID': ['123456'] });
    expect(next.challenges[0].prompt).toBe('What is the best country on earth?');
    const done = await respond(step.requestId, {
      'What is the best country on earth?': ['Canada'],
    });
    expect(done.__typename).toBe('AuthorizeSuccess');
  });

  it('case 5: multiple choice, then picking new questions', async () => {
    const step = await start('mfa_scotia');
    expect(step.challenges.map((c: { type: string }) => c.type)).toEqual([
      'MULTIPLE_CHOICE',
      'MULTIPLE_CHOICE_MULTIPLE_ANSWERS',
    ]);
    const next = await respond(step.requestId, {
      'Choose one of the following:': ['None of the above'],
      'What purchases did you make over the last 10 days?': [
        'Purchase 3: $143.86',
        'Purchase 1: $10.35',
      ],
    });
    expect(next.__typename).toBe('MfaRequired');
    expect(
      next.challenges.every((c: { responseKey: string }) => c.responseKey === 'CHOSEN_ITERABLE'),
    ).toBe(true);
    const picked = next.challenges[0].iterables.slice(-3) as string[];
    const done = await respond(step.requestId, Object.fromEntries(picked.map((q) => [q, ['x']])));
    expect(done.__typename).toBe('AuthorizeSuccess');
  });

  it('case 6: a phone number and Text, then the code', async () => {
    const step = await start('mfa_text_or_call');
    const [challenge] = step.challenges;
    expect(challenge).toMatchObject({ type: 'TEXT_OR_CALL', responseKey: 'CHOSEN_ITERABLE' });
    const next = await respond(step.requestId, { [challenge.iterables[1]]: ['text'] });
    expect(next.challenges[0].prompt).toBe('Enter the security code');
    const sent = gw.simulator.calls.filter((c) => c.endpoint === 'Authorize').at(-1)?.body;
    expect(sent).toMatchObject({ SecurityResponses: { [challenge.iterables[1]]: ['Text'] } });
    const done = await respond(step.requestId, { 'Enter the security code': ['123456'] });
    // This user's success omits InstitutionName, InstitutionId and Login.Type, as TD's example does.
    expect(done).toMatchObject({
      __typename: 'AuthorizeSuccess',
      institutionName: null,
      institutionId: null,
      login: { type: null },
    });
  });

  it('case 7: trusted-device approval', async () => {
    const step = await start('mfa_trusted_device');
    expect(step.challenges[0].type).toBe('WAIT_UNTIL_EU_ACCEPT');
    const done = await respond(step.requestId, { [step.challenges[0].prompt]: ['VERIFIED'] });
    expect(done.__typename).toBe('AuthorizeSuccess');
  });

  it('passes an unknown challenge Type through as UNKNOWN and can still answer it', async () => {
    const step = await start('mfa_unknown_type');
    expect(step.challenges[0]).toMatchObject({
      type: 'UNKNOWN',
      rawType: 'PushNotificationCode',
      responseKey: 'PROMPT',
    });
    const done = await respond(step.requestId, { [step.challenges[0].prompt]: ['424242'] });
    expect(done.__typename).toBe('AuthorizeSuccess');
  });
});

describe('answers checked before Flinks is called', () => {
  it('refuses a key whose case differs from the prompt, and says which prompt was meant', async () => {
    const step = await start('Greatday');
    let result: { __typename: string; issues: { path: string[]; message: string }[] } | undefined;
    const calls = await upstreamCallsDuring(async () => {
      result = await respond(step.requestId, { 'what city were you born in?': ['Montreal'] });
    });
    expect(calls).toBe(0);
    expect(result?.__typename).toBe('InvalidInputError');
    expect(result?.issues).toContainEqual({
      path: ['input', 'responses', '0', 'prompt'],
      message: expect.stringContaining('"What city were you born in?"'),
    });
    // The round is still open: the right key goes through.
    const next = await respond(step.requestId, { 'What city were you born in?': ['Montreal'] });
    expect(next.__typename).toBe('MfaRequired');
  });

  it('reports the input’s own problems and the answers’ problems of one request together', async () => {
    const step = await start('mfa_scotia');
    const { body } = await gw.graphql(ANSWER_MFA, {
      input: {
        requestId: step.requestId,
        responses: [
          { prompt: 'Choose one of the following:', answers: [] },
          { prompt: 'what purchases did you make over the last 10 days?', answers: ['x'] },
          { prompt: '', answers: ['y'] },
        ],
      },
    });
    expect(body.data.answerMfa.__typename).toBe('InvalidInputError');
    expect(body.data.answerMfa.issues).toEqual([
      {
        path: ['input', 'responses'],
        message:
          'lack an answer for "What purchases did you make over the last 10 days?": add a response with that prompt',
      },
      { path: ['input', 'responses', '0', 'answers'], message: 'needs at least one answer' },
      {
        path: ['input', 'responses', '1', 'prompt'],
        message:
          'must match the key byte for byte (case, spaces, punctuation): send "What purchases did you make over the last 10 days?"',
      },
      { path: ['input', 'responses', '2', 'prompt'], message: 'must not be empty' },
    ]);
  });

  it.each([
    [
      'two answers to a MULTIPLE_CHOICE',
      { 'Choose one of the following:': ['I bank with Scotia', 'None of the above'] },
    ],
    ['an answer not offered', { 'Choose one of the following:': ['Something invented'] }],
    ['an unanswered challenge', {}],
  ])('refuses %s without an upstream call', async (_name, choice) => {
    const step = await start('mfa_scotia');
    let result: { __typename: string } | undefined;
    const responses = {
      ...choice,
      'What purchases did you make over the last 10 days?': [
        'Purchase 1: $10.35',
        'Purchase 3: $143.86',
      ],
    };
    const calls = await upstreamCallsDuring(async () => {
      result = await respond(step.requestId, responses);
    });
    expect(calls).toBe(0);
    expect(result?.__typename).toBe('InvalidInputError');
  });

  it('refuses a TEXT_OR_CALL method other than Text or Call, and a number not offered', async () => {
    const step = await start('mfa_text_or_call');
    const [number] = step.challenges[0].iterables;
    const calls = await upstreamCallsDuring(async () => {
      expect((await respond(step.requestId, { [number]: ['Email'] })).__typename).toBe(
        'InvalidInputError',
      );
      expect((await respond(step.requestId, { '(000) 000-0000': ['Text'] })).__typename).toBe(
        'InvalidInputError',
      );
    });
    expect(calls).toBe(0);
  });

  it('refuses an image that was not offered', async () => {
    const step = await start('mfa_image');
    const images = await respond(step.requestId, { [step.challenges[0].prompt]: ['Montreal'] });
    const calls = await upstreamCallsDuring(async () => {
      const result = await respond(images.requestId, {
        [images.challenges[0].prompt]: ['aGVsbG8='],
      });
      expect(result.__typename).toBe('InvalidInputError');
    });
    expect(calls).toBe(0);
  });

  it('answers SessionExpiredError for a requestId it never issued, without calling Flinks', async () => {
    const calls = await upstreamCallsDuring(async () => {
      const result = await respond('11111111-2222-3333-4444-555555555555', { q: ['a'] });
      expect(result).toMatchObject({ __typename: 'SessionExpiredError', flinksCode: null });
    });
    expect(calls).toBe(0);
  });
});

describe('answers Flinks refuses', () => {
  it('gives the challenges back after a wrong answer, then accepts the right one', async () => {
    const step = await start('Greatday');
    const wrong = await respond(step.requestId, { 'What city were you born in?': ['Toronto'] });
    expect(wrong).toMatchObject({
      __typename: 'MfaAnswerRejectedError',
      flinksCode: 'INVALID_SECURITY_RESPONSE',
      sessionRequestId: step.requestId,
      canRetry: true,
      challenges: [{ prompt: 'What city were you born in?' }],
    });
    const next = await respond(step.requestId, { 'What city were you born in?': ['Montreal'] });
    expect(next.__typename).toBe('MfaRequired');
  });

  it('closes the round after a NO_RETRY refusal', async () => {
    const step = await start('mfa_no_retry');
    const wrong = await respond(step.requestId, { [step.challenges[0].prompt]: ['Toronto'] });
    expect(wrong).toMatchObject({
      __typename: 'MfaAnswerRejectedError',
      flinksCode: 'INVALID_SECURITY_RESPONSE_NO_RETRY',
      canRetry: false,
      challenges: [],
    });
    const calls = await upstreamCallsDuring(async () => {
      const again = await respond(step.requestId, { [step.challenges[0].prompt]: ['Montreal'] });
      expect(again.__typename).toBe('SessionExpiredError');
    });
    expect(calls).toBe(0);
  });

  it('maps an expired Flinks session to SessionExpiredError and forgets the round', async () => {
    const step = await start('mfa_session_expires');
    const expired = await respond(step.requestId, { [step.challenges[0].prompt]: ['Montreal'] });
    expect(expired).toMatchObject({
      __typename: 'SessionExpiredError',
      flinksCode: 'SESSION_EXPIRED',
    });
    const calls = await upstreamCallsDuring(() =>
      respond(step.requestId, { [step.challenges[0].prompt]: ['x'] }),
    );
    expect(calls).toBe(0);
  });
});

describe('mfaStep', () => {
  it('gives back the open step of a requestId, e.g. after a page reload', async () => {
    const step = await start('mfa_triple');
    const { body } = await gw.graphql(
      `query ($id: ID!) { mfaStep(requestId: $id) { __typename ... on MfaRequired { requestId challenges { prompt } } } }`,
      { id: step.requestId },
    );
    expect(body.data.mfaStep).toEqual({
      __typename: 'MfaRequired',
      requestId: step.requestId,
      challenges: step.challenges.map((c: { prompt: string }) => ({ prompt: c.prompt })),
    });
  });
});

describe('one answer at a time per step', () => {
  const CITY = 'What city were you born in?';
  /** Answer calls for this RequestId that reached the simulator. */
  const judged = (requestId: string) =>
    gw.simulator.calls.filter(
      (call) =>
        call.endpoint === 'Authorize' &&
        (call.body as { RequestId?: string; SecurityResponses?: unknown }).RequestId ===
          requestId &&
        (call.body as { SecurityResponses?: unknown }).SecurityResponses !== undefined,
    ).length;

  it('sends one of five identical answers sent at once; the others are told one is in progress', async () => {
    const step = await start('Greatday');
    gw.simulator.setFaults({ latencyMs: 300 });
    let results: { __typename: string; code?: string; retryable?: boolean }[];
    try {
      results = await Promise.all(
        Array.from({ length: 5 }, () => respond(step.requestId, { [CITY]: ['Montreal'] })),
      );
    } finally {
      gw.simulator.setFaults({});
    }
    expect(judged(step.requestId)).toBe(1);
    expect(results.filter((r) => r.__typename === 'MfaRequired')).toHaveLength(1);
    expect(results.filter((r) => r.__typename !== 'MfaRequired')).toEqual(
      Array(4).fill({
        __typename: 'MfaAnswerInProgressError',
        code: 'MFA_ANSWER_IN_PROGRESS',
        message: expect.any(String),
        flinksCode: null,
        retryable: true,
        retryAfterSeconds: 1,
      }),
    );
  });

  it('lets at most 3 of 25 wrong answers sent at once reach Flinks, then closes the step', async () => {
    const step = await start('Greatday');
    const results = await Promise.all(
      Array.from({ length: 25 }, () => respond(step.requestId, { [CITY]: ['Toronto'] })),
    );
    const count = judged(step.requestId);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(3);
    expect(results.filter((r) => r.__typename === 'MfaAnswerRejectedError')).toHaveLength(count);
    for (let i = count; i < 3; i += 1) {
      expect((await respond(step.requestId, { [CITY]: ['Toronto'] })).__typename).toBe(
        'MfaAnswerRejectedError',
      );
    }
    expect((await respond(step.requestId, { [CITY]: ['Montreal'] })).__typename).toBe(
      'SessionExpiredError',
    );
    expect(judged(step.requestId)).toBe(3);
  });

  it('frees the step at once after an answer refused before Flinks', async () => {
    const step = await start('Greatday');
    const invalid = await respond(step.requestId, { [CITY.toUpperCase()]: ['Montreal'] });
    expect(invalid.__typename).toBe('InvalidInputError');
    expect((await respond(step.requestId, { [CITY]: ['Montreal'] })).__typename).toBe(
      'MfaRequired',
    );
  });
});
