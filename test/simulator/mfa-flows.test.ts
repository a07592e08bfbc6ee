import { describe, expect, it } from 'vitest';
import { RED_SECURITY_IMAGE } from '../../src/simulator/images.ts';
import { SIMULATOR_LOGIN_IDS, simulatorLoginId } from '../../src/simulator/index.ts';
import { simulatorOnClock } from '../support/simulator-data.ts';
import { defined, type FlinksResponse, GUID } from '../support/simulator-http.ts';

const AUTHORIZE_LINKS = [{ rel: 'Authorization', href: '/Authorize', example: null }];
const DATA_LINKS = [
  { rel: 'AccountsDetail', href: '/GetAccountsDetail', example: null },
  { rel: 'AccountsSummary', href: '/GetAccountsSummary', example: null },
  { rel: 'Statements', href: '/GetStatements', example: null },
];
const CITY = 'What city were you born in?';
const SHAPE = 'What shape do people like most?';
const COUNTRY = 'What is the best country on earth?';
const RESET_PROMPTS = [1, 2, 3].map((n) => `Personal Verification Question ${n}`);

const _START = Date.UTC(2026, 10, 24, 0, 41, 3, 169);
const START_AS_LAST_REFRESH = '2026-11-24T00:41:03.1690000';

function challengeBody(requestId: string, challenges: unknown[]) {
  return {
    Links: AUTHORIZE_LINKS,
    HttpStatusCode: 203,
    SecurityChallenges: challenges,
    Institution: 'FlinksCapital',
    RequestId: requestId,
  };
}

function successBody(username: string, requestId: string) {
  return {
    Links: DATA_LINKS,
    HttpStatusCode: 200,
    Login: {
      Username: username,
      IsScheduledRefresh: false,
      LastRefresh: START_AS_LAST_REFRESH,
      Type: 'Personal',
      Id: simulatorLoginId(username),
    },
    InstitutionName: 'FlinksCapital',
    InstitutionId: 14,
    Institution: 'FlinksCapital',
    RequestId: requestId,
  };
}

function requestIdOf(response: FlinksResponse): string {
  return defined(response.body.RequestId, 'RequestId');
}

function flinksError(status: number, code: string, requestId: string) {
  return {
    HttpStatusCode: status,
    FlinksCode: code,
    Message: expect.any(String),
    RequestId: requestId,
    Institution: 'FlinksCapital',
  };
}

describe('MFA flows', () => {
  const sim = simulatorOnClock();

  async function expectChallenge(username: string, prompt: string, extra = {}) {
    const response = await sim.flinks.logIn(username, extra);
    expect(response.status).toBe(203);
    expect(response.body.SecurityChallenges?.map((challenge) => challenge.Prompt)).toEqual([
      prompt,
    ]);
    return requestIdOf(response);
  }

  it('asks Greatday two questions in two rounds on the same RequestId, then opens the session', async () => {
    const first = await sim.flinks.logIn('Greatday');
    const requestId = requestIdOf(first);
    expect(first.status).toBe(203);
    expect(first.body).toEqual(
      challengeBody(requestId, [{ Type: 'QuestionAndAnswer', Prompt: CITY }]),
    );
    expect(requestId).toMatch(GUID);

    const second = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(second.status).toBe(203);
    expect(second.body).toEqual(
      challengeBody(requestId, [{ Type: 'QuestionAndAnswer', Prompt: SHAPE }]),
    );

    const done = await sim.flinks.answer(requestId, { [SHAPE]: ['Triangle'] });
    expect(done.status).toBe(200);
    expect(done.body).toEqual(successBody('Greatday', requestId));
    expect(done.body.Login?.Id).toBe(
      SIMULATOR_LOGIN_IDS.find((login) => login.username === 'Greatday')?.loginId,
    );
  });

  it('takes the username in any case and answers trimmed and in any case', async () => {
    const requestId = await expectChallenge('GREATDAY', CITY);
    const next = await sim.flinks.answer(requestId, { [CITY]: ['  mONTREAL '] });
    expect(next.status).toBe(203);
  });

  it('accepts the lowercase username and password fields of the legacy docs', async () => {
    const response = await sim.flinks.authorize({
      Institution: 'flinkscapital',
      username: 'Greatday',
      password: 'Everyday',
      MostRecentCached: false,
      Save: true,
    });
    expect(response.status).toBe(203);
  });

  it('asks mfa_triple three questions at once and needs all three answers', async () => {
    const first = await sim.flinks.logIn('mfa_triple');
    const requestId = requestIdOf(first);
    expect(first.body).toEqual(
      challengeBody(
        requestId,
        ['mother', 'father', 'dog'].map((who) => ({
          Type: 'QuestionAndAnswer',
          Prompt: `What is the name of your ${who}`,
        })),
      ),
    );
    const partial = await sim.flinks.answer(requestId, {
      'What is the name of your mother': ['Louise'],
      'What is the name of your father': ['Paul'],
    });
    expect(partial.status).toBe(400);
    expect(partial.body).toEqual(flinksError(400, 'SECURITYRESPONSES_INCOMPLETE', requestId));

    const done = await sim.flinks.answer(requestId, {
      'What is the name of your mother': ['Louise'],
      'What is the name of your father': ['Paul'],
      'What is the name of your dog': ['Wouf'],
    });
    expect(done.body).toEqual(successBody('mfa_triple', requestId));
  });

  it('lets mfa_reset_questions pick three different questions from the iterables as keys', async () => {
    const first = await sim.flinks.logIn('mfa_reset_questions');
    const requestId = requestIdOf(first);
    const challenges = defined(first.body.SecurityChallenges);
    expect(challenges.map(({ Type, Prompt }) => ({ Type, Prompt }))).toEqual(
      RESET_PROMPTS.map((Prompt) => ({ Type: 'QuestionAndAnswer', Prompt })),
    );
    const choices = defined(challenges[0]?.Iterables);
    expect(choices.length).toBeGreaterThanOrEqual(4);
    expect(choices.length).toBeLessThanOrEqual(5);
    for (const challenge of challenges) expect(challenge.Iterables).toEqual(choices);
    const [a = '', b = '', c = ''] = choices;

    const byPrompt = await sim.flinks.answer(requestId, {
      [defined(RESET_PROMPTS[0])]: ['Rex'],
    });
    expect(byPrompt.body).toEqual(flinksError(401, 'UNKNOWN_CHALLENGE_KEY', requestId));
    const two = await sim.flinks.answer(requestId, { [a]: ['Rex'], [b]: ['Tercel'] });
    expect(two.body).toEqual(flinksError(400, 'SECURITYRESPONSES_INCOMPLETE', requestId));
    const blank = await sim.flinks.answer(requestId, { [a]: ['Rex'], [b]: ['Tercel'], [c]: [' '] });
    expect(blank.body).toEqual(flinksError(401, 'INVALID_SECURITY_RESPONSE', requestId));

    const done = await sim.flinks.answer(requestId, {
      [a]: ['Rex'],
      [b]: ['Tercel'],
      [c]: ['Quebec City'],
    });
    expect(done.body).toEqual(successBody('mfa_reset_questions', requestId));
  });

  it('shows mfa_image sixteen images after its question and accepts the red one', async () => {
    const requestId = await expectChallenge('mfa_image', CITY);
    const images = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(images.status).toBe(203);
    const [challenge] = defined(images.body.SecurityChallenges);
    expect(challenge?.Type).toBe('ImageSelection');
    expect(challenge?.Prompt).toBe('Select your security image (hint: the red one)');
    expect(challenge?.Iterables).toHaveLength(16);
    expect(challenge?.Iterables).toContain(RED_SECURITY_IMAGE);

    const prompt = 'Select your security image (hint: the red one)';
    const other = defined(challenge?.Iterables?.find((image) => image !== RED_SECURITY_IMAGE));
    const wrong = await sim.flinks.answer(requestId, { [prompt]: [other] });
    expect(wrong.body).toEqual(flinksError(401, 'INVALID_SECURITY_RESPONSE', requestId));
    const done = await sim.flinks.answer(requestId, { [prompt]: [RED_SECURITY_IMAGE] });
    expect(done.body).toEqual(successBody('mfa_image', requestId));
  });

  it('asks mfa_securid for six digits, then the best country', async () => {
    const requestId = await expectChallenge('mfa_securid', 'Enter your SecurID');
    const five = await sim.flinks.answer(requestId, { 'Enter your SecurID': ['12345'] });
    expect(five.body).toEqual(flinksError(401, 'INVALID_SECURITY_RESPONSE', requestId));
    const country = await sim.flinks.answer(requestId, { 'Enter your SecurID': ['908172'] });
    expect(country.body.SecurityChallenges).toEqual([
      { Type: 'QuestionAndAnswer', Prompt: COUNTRY },
    ]);
    const done = await sim.flinks.answer(requestId, { [COUNTRY]: ['canada'] });
    expect(done.body).toEqual(successBody('mfa_securid', requestId));
  });

  it('asks mfa_scotia multiple-choice questions, then to reset its security questions', async () => {
    const first = await sim.flinks.logIn('mfa_scotia');
    const requestId = requestIdOf(first);
    const choose = 'Choose one of the following:';
    const purchases = 'What purchases did you make over the last 10 days?';
    expect(first.body).toEqual(
      challengeBody(requestId, [
        {
          Type: 'MultipleChoice',
          Prompt: choose,
          Iterables: [
            'I have lived at 123 Fake Street',
            'I have a cat named Rex',
            'I bank with Scotia',
            'None of the above',
          ],
        },
        {
          Type: 'MultipleChoiceMultipleAnswers',
          Prompt: purchases,
          Iterables: [
            'Purchase 1: $10.35',
            'Purchase 2: $73.42',
            'Purchase 3: $143.86',
            'None of the above',
          ],
        },
      ]),
    );
    const onePurchase = await sim.flinks.answer(requestId, {
      [choose]: ['None of the above'],
      [purchases]: ['Purchase 1: $10.35'],
    });
    expect(onePurchase.body).toEqual(flinksError(401, 'INVALID_SECURITY_RESPONSE', requestId));

    const reset = await sim.flinks.answer(requestId, {
      [choose]: ['None of the above'],
      [purchases]: ['Purchase 3: $143.86', 'Purchase 1: $10.35'],
    });
    expect(reset.status).toBe(203);
    const challenges = defined(reset.body.SecurityChallenges);
    expect(challenges.map((challenge) => challenge.Prompt)).toEqual(RESET_PROMPTS);
    const [a = '', b = '', c = ''] = defined(challenges[0]?.Iterables);
    const done = await sim.flinks.answer(requestId, { [c]: ['x'], [a]: ['y'], [b]: ['z'] });
    expect(done.body).toEqual(successBody('mfa_scotia', requestId));
  });

  it('lets mfa_text_or_call choose a phone number, then asks for the code, and returns a sparse 200', async () => {
    const first = await sim.flinks.logIn('mfa_text_or_call');
    const requestId = requestIdOf(first);
    expect(first.body).toEqual(
      challengeBody(requestId, [
        {
          Type: 'TextOrCall',
          Prompt: 'Choose a phone number',
          Iterables: ['(514) ***-**12', '(438) ***-**34'],
        },
      ]),
    );
    const byPrompt = await sim.flinks.answer(requestId, { 'Choose a phone number': ['Text'] });
    expect(byPrompt.body).toEqual(flinksError(401, 'UNKNOWN_CHALLENGE_KEY', requestId));
    const byMail = await sim.flinks.answer(requestId, { '(438) ***-**34': ['Mail'] });
    expect(byMail.body).toEqual(flinksError(401, 'INVALID_SECURITY_RESPONSE', requestId));

    const code = await sim.flinks.answer(requestId, { '(438) ***-**34': ['Call'] });
    expect(code.body).toEqual(
      challengeBody(requestId, [{ Type: 'QuestionAndAnswer', Prompt: 'Enter the security code' }]),
    );
    const done = await sim.flinks.answer(requestId, { 'Enter the security code': ['123456'] });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      Links: DATA_LINKS,
      HttpStatusCode: 200,
      Login: {
        Username: 'mfa_text_or_call',
        IsScheduledRefresh: false,
        LastRefresh: START_AS_LAST_REFRESH,
        Id: simulatorLoginId('mfa_text_or_call'),
      },
      Institution: 'FlinksCapital',
      RequestId: requestId,
    });
  });

  it('asks mfa_trusted_device to confirm on its device in a 203 without HttpStatusCode or Links', async () => {
    const first = await sim.flinks.logIn('mfa_trusted_device');
    const requestId = requestIdOf(first);
    const prompt = 'Please verify your identity on your trusted device';
    expect(first.status).toBe(203);
    expect(first.body).toEqual({
      SecurityChallenges: [{ Type: 'WaitUntilEUAccept', Prompt: prompt }],
      Institution: 'FlinksCapital',
      RequestId: requestId,
    });
    const done = await sim.flinks.answer(requestId, { [prompt]: ['VERIFIED'] });
    expect(done.body).toEqual(successBody('mfa_trusted_device', requestId));
  });

  it('sends mfa_unknown_type a challenge Type that no client knows', async () => {
    const first = await sim.flinks.logIn('mfa_unknown_type');
    const requestId = requestIdOf(first);
    const prompt = "Enter the code shown in your bank's app";
    expect(first.body).toEqual(
      challengeBody(requestId, [{ Type: 'PushNotificationCode', Prompt: prompt }]),
    );
    const done = await sim.flinks.answer(requestId, { [prompt]: ['424242'] });
    expect(done.body).toEqual(successBody('mfa_unknown_type', requestId));
  });

  it('refuses a key whose case differs from the prompt, and leaves the round open', async () => {
    const requestId = await expectChallenge('Greatday', CITY);
    const wrongCase = await sim.flinks.answer(requestId, {
      'what city were you born in?': ['Montreal'],
    });
    expect(wrongCase.status).toBe(401);
    expect(wrongCase.body).toEqual(flinksError(401, 'UNKNOWN_CHALLENGE_KEY', requestId));
    const exact = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(exact.status).toBe(203);
  });

  it('refuses a wrong answer with INVALID_SECURITY_RESPONSE and accepts the right one after', async () => {
    const requestId = await expectChallenge('Greatday', CITY);
    const wrong = await sim.flinks.answer(requestId, { [CITY]: ['Toronto'] });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(flinksError(401, 'INVALID_SECURITY_RESPONSE', requestId));
    const two = await sim.flinks.answer(requestId, { [CITY]: ['Montreal', 'Toronto'] });
    expect(two.status).toBe(401);
    const right = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(right.body.SecurityChallenges).toEqual([{ Type: 'QuestionAndAnswer', Prompt: SHAPE }]);
  });

  it('sends the same 203 again when SecurityResponses is missing or empty', async () => {
    const first = await sim.flinks.logIn('Greatday', { Tag: 'again' });
    const requestId = requestIdOf(first);
    const empty = await sim.flinks.answer(requestId, {});
    const missing = await sim.flinks.authorize({ RequestId: requestId });
    expect(empty.status).toBe(203);
    expect(empty.body).toEqual(first.body);
    expect(missing.body).toEqual(first.body);
  });

  it('answers 400 INVALID_REQUEST when an answer is not an array of strings', async () => {
    const requestId = await expectChallenge('Greatday', CITY);
    const response = await sim.flinks.authorize({
      RequestId: requestId,
      SecurityResponses: { [CITY]: 'Montreal' },
    });
    expect(response.status).toBe(400);
    expect(response.body.FlinksCode).toBe('INVALID_REQUEST');
  });

  it('answers SESSION_NONEXISTENT for a RequestId it never issued', async () => {
    const requestId = '5d0c1f3e-8a4b-4c2d-9e6f-7a8b9c0d1e2f';
    const response = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(flinksError(400, 'SESSION_NONEXISTENT', requestId));
  });

  it('answers ALREADY_AUTHORIZED to answers sent after the session opened', async () => {
    const requestId = await expectChallenge(
      'mfa_unknown_type',
      "Enter the code shown in your bank's app",
    );
    await sim.flinks.answer(requestId, { "Enter the code shown in your bank's app": ['424242'] });
    const again = await sim.flinks.answer(requestId, {
      "Enter the code shown in your bank's app": ['424242'],
    });
    expect(again.status).toBe(400);
    expect(again.body).toEqual(flinksError(400, 'ALREADY_AUTHORIZED', requestId));
  });

  it('expires a RequestId idle for more than 8 minutes, then forgets it', async () => {
    const requestId = await expectChallenge('Greatday', CITY);
    sim.now += 8 * 60 * 1000 + 1;
    const expired = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    const forgotten = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual(flinksError(400, 'SESSION_EXPIRED', requestId));
    expect(forgotten.body).toEqual(flinksError(400, 'SESSION_NONEXISTENT', requestId));
  });

  it('counts idleness from the last call on the RequestId', async () => {
    const requestId = await expectChallenge('Greatday', CITY);
    sim.now += 7 * 60 * 1000;
    const wrong = await sim.flinks.answer(requestId, { [CITY]: ['Laval'] });
    sim.now += 8 * 60 * 1000;
    const right = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(203);
  });

  it('ends the mfa_no_retry session on a wrong answer', async () => {
    const requestId = await expectChallenge('mfa_no_retry', CITY);
    const wrong = await sim.flinks.answer(requestId, { [CITY]: ['Toronto'] });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(flinksError(401, 'INVALID_SECURITY_RESPONSE_NO_RETRY', requestId));
    const late = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(late.body.FlinksCode).toBe('SESSION_NONEXISTENT');

    const fresh = await expectChallenge('mfa_no_retry', CITY);
    const right = await sim.flinks.answer(fresh, { [CITY]: ['Montreal'] });
    expect(right.body).toEqual(successBody('mfa_no_retry', fresh));
  });

  it('answers SESSION_EXPIRED to any answer for mfa_session_expires', async () => {
    const requestId = await expectChallenge('mfa_session_expires', CITY);
    const response = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(flinksError(400, 'SESSION_EXPIRED', requestId));
  });

  it('asks the Flinks Capital questions in French for Language fr, keyed by the French prompt', async () => {
    const requestId = await expectChallenge('Greatday', 'Dans quelle ville êtes-vous né?', {
      Language: 'fr',
    });
    const english = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    expect(english.body.FlinksCode).toBe('UNKNOWN_CHALLENGE_KEY');
    const shape = await sim.flinks.answer(requestId, {
      'Dans quelle ville êtes-vous né?': ['Montreal'],
    });
    const [challenge] = defined(shape.body.SecurityChallenges);
    expect(challenge?.Prompt).toMatch(/^Quelle forme .+\?$/);
    const done = await sim.flinks.answer(requestId, { [defined(challenge?.Prompt)]: ['Triangle'] });
    expect(done.status).toBe(200);
  });

  it('always asks mfa_french in French, whatever the Language', async () => {
    await expectChallenge('mfa_french', 'Dans quelle ville êtes-vous né?', { Language: 'en' });
  });

  it('echoes the Tag in the 203 and the 200', async () => {
    const first = await sim.flinks.logIn('Greatday', { Tag: 'order-42' });
    const requestId = requestIdOf(first);
    const second = await sim.flinks.answer(requestId, { [CITY]: ['Montreal'] });
    const done = await sim.flinks.answer(requestId, { [SHAPE]: ['Triangle'] });
    expect(first.body.Tag).toBe('order-42');
    expect(second.body.Tag).toBe('order-42');
    expect(done.body).toEqual({ ...successBody('Greatday', requestId), Tag: 'order-42' });
  });
});
