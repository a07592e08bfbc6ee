import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_SECRET_KEY } from '../../src/simulator/index.ts';
import {
  ANSWER_MFA,
  AUTHORIZE,
  answer,
  credentials,
  startTestGateway,
  type TestGateway,
} from '../support/gateway.ts';

let gw: TestGateway;
const responses: string[] = [];
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.close();
});

async function call(query: string, variables: Record<string, unknown>) {
  const { body } = await gw.graphql(query, variables);
  responses.push(JSON.stringify(body));
  return body.data?.authorize ?? body.data?.answerMfa;
}

describe('nothing secret leaves the gateway', () => {
  it('never writes the secret, a password, an answer or a token to a response or a log line', async () => {
    const wrongPassword = 'Wr0ng-Pa55word-unique';
    await call(AUTHORIZE, credentials('Greatday', { password: wrongPassword }));
    await call(AUTHORIZE, credentials('test_broken_contract', { password: 'Everyday' }));
    await call(AUTHORIZE, credentials('test_token_refused_always'));

    const step = await call(AUTHORIZE, credentials('Greatday'));
    await call(
      ANSWER_MFA,
      answer(step.requestId, { 'What city were you born in?': ['Ottawa-wrong-answer'] }),
    );
    await call(ANSWER_MFA, answer(step.requestId, { 'what city were you born in?': ['Montreal'] }));
    await call(ANSWER_MFA, answer(step.requestId, { 'What city were you born in?': ['Montreal'] }));
    const done = await call(
      ANSWER_MFA,
      answer(step.requestId, { 'What shape do people like most?': ['Triangle'] }),
    );
    expect(done.__typename).toBe('AuthorizeSuccess');

    const tokens = gw.simulator.calls
      .map((c) => c.authKey)
      .filter((k): k is string => !!k && k !== SIMULATOR_SECRET_KEY);
    expect(tokens.length).toBeGreaterThan(5);
    expect(gw.logs.length).toBeGreaterThan(5);
    const secrets = [
      SIMULATOR_SECRET_KEY,
      wrongPassword,
      'Everyday',
      'Ottawa-wrong-answer',
      'Montreal',
      'Triangle',
      ...tokens,
    ];
    for (const text of [...gw.logs, ...responses]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
