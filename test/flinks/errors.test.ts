import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { FlinksClient } from '../../src/flinks/client.ts';
import { SIMULATOR_CUSTOMER_ID } from '../../src/simulator/index.ts';

const ORIGIN = 'https://flinks.test';
const BASE = `/v3/${SIMULATOR_CUSTOMER_ID}/BankingServices`;
const LOGIN_ID = '5e115eac-1209-4f19-641c-08d6d484e2fe';
const REQUEST_ID = 'b0debb48-f9f1-46c6-80a4-08d7dd88d478';

const CODES = [
  'INVALID_LOGIN',
  'INVALID_USERNAME',
  'INVALID_PASSWORD',
  'INVALID_REQUEST',
  'ACCESS_DENIED',
  'INVALID_SECURITY_RESPONSE',
  'INVALID_SECURITY_RESPONSE_NO_RETRY',
  'UNKNOWN_CHALLENGE_KEY',
  'SECURITYRESPONSES_INCOMPLETE',
  'QUESTION_NOT_FOUND',
  'SESSION_NONEXISTENT',
  'SESSION_EXPIRED',
  'DISABLED_LOGIN',
  'NEW_ACCOUNT',
  'CONCURRENT_SESSION',
  'CARD_IN_USE',
  'ALREADY_AUTHORIZED',
  'RETRY_LATER',
  'AGGREGATION_ERROR',
  'DISABLED_INSTITUTION',
  'TOO_MANY_REQUESTS',
  'SOMETHING_NEW',
];

function mockedClient() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  pool
    .intercept({ path: `${BASE}/GenerateAuthorizeToken`, method: 'POST' })
    .reply(200, { HttpStatusCode: 200, Token: 'token-1' })
    .persist();
  const client = new FlinksClient({
    baseUrl: ORIGIN,
    customerId: SIMULATOR_CUSTOMER_ID,
    secretKey: 'secret-key-for-tests',
    apiKey: 'api-key-for-tests',
    dispatcher: agent,
    tokenPoolSize: 0,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
  return { pool, client };
}

/** What a caller can see of an outcome: the family, its fields, and never a stack. */
function summary(outcome: unknown): unknown {
  if (!(outcome instanceof Error)) return outcome;
  const { name, message } = outcome;
  const fields = outcome as unknown as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries({
      name,
      message,
      code: fields.code,
      flinksCode: fields.flinksCode,
      retryable: fields.retryable,
      retryAfterSeconds: fields.retryAfterSeconds,
      requestId: fields.requestId,
      canRetry: fields.canRetry,
      endpoint: fields.endpoint,
      status: fields.status,
      detail: fields.detail,
    }).filter(([, value]) => value !== undefined),
  );
}

async function authorizeAnswered(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const { pool, client } = mockedClient();
  pool.intercept({ path: `${BASE}/Authorize`, method: 'POST' }).reply(status, body as object, {
    headers,
  });
  const request = { mode: 'refresh', loginId: LOGIN_ID } as const;
  return summary(await client.authorize(request).catch((error: unknown) => error));
}

async function deleteAnswered(status: number, body: unknown): Promise<unknown> {
  const { pool, client } = mockedClient();
  pool
    .intercept({ path: `${BASE}/DeleteCard/${LOGIN_ID}`, method: 'DELETE' })
    .reply(status, body as object);
  return summary(await client.deleteCard(LOGIN_ID).catch((error: unknown) => error));
}

describe('every FlinksCode', () => {
  it('becomes the same typed error on /Authorize, whatever the status, with Retry-After and RequestId where the family carries them', async () => {
    const outcomes: Record<string, unknown> = {};
    for (const code of CODES) {
      const body = { HttpStatusCode: 401, FlinksCode: code, Message: 'raw', RequestId: REQUEST_ID };
      outcomes[code] = await authorizeAnswered(401, body, { 'retry-after': '7' });
      expect(await authorizeAnswered(400, body, { 'retry-after': '7' })).toEqual(outcomes[code]);
    }
    expect(outcomes).toMatchInlineSnapshot(`
      {
        "ACCESS_DENIED": {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "ACCESS_DENIED",
          "message": "The institution refused the authentication.",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
        "AGGREGATION_ERROR": {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": "AGGREGATION_ERROR",
          "message": "Flinks had an unexpected failure. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": 7,
          "retryable": true,
        },
        "ALREADY_AUTHORIZED": {
          "code": "SESSION_BUSY",
          "flinksCode": "ALREADY_AUTHORIZED",
          "message": "This session is already authorized.",
          "name": "SessionBusyError",
          "retryAfterSeconds": 7,
          "retryable": true,
        },
        "CARD_IN_USE": {
          "code": "SESSION_BUSY",
          "flinksCode": "CARD_IN_USE",
          "message": "This login is still being processed. Try again shortly.",
          "name": "SessionBusyError",
          "retryAfterSeconds": 7,
          "retryable": true,
        },
        "CONCURRENT_SESSION": {
          "code": "SESSION_BUSY",
          "flinksCode": "CONCURRENT_SESSION",
          "message": "Another session is open on this login. Try again shortly.",
          "name": "SessionBusyError",
          "retryAfterSeconds": 7,
          "retryable": true,
        },
        "DISABLED_INSTITUTION": {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": "DISABLED_INSTITUTION",
          "message": "The institution is not available right now. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": 7,
          "retryable": true,
        },
        "DISABLED_LOGIN": {
          "code": "LOGIN_ACTION_REQUIRED",
          "flinksCode": "DISABLED_LOGIN",
          "message": "Your bank has disabled this login. Contact your bank to enable it, then try again.",
          "name": "LoginActionRequiredError",
          "retryable": false,
        },
        "INVALID_LOGIN": {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "INVALID_LOGIN",
          "message": "The login is not valid for this institution.",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
        "INVALID_PASSWORD": {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "INVALID_PASSWORD",
          "message": "The institution did not accept the password.",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
        "INVALID_REQUEST": {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "INVALID_REQUEST",
          "message": "Flinks refused the request as incomplete or malformed.",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
        "INVALID_SECURITY_RESPONSE": {
          "canRetry": true,
          "code": "MFA_ANSWER_REJECTED",
          "flinksCode": "INVALID_SECURITY_RESPONSE",
          "message": "The answer was not accepted. Check it and answer again.",
          "name": "MfaAnswerRejectedError",
          "requestId": "b0debb48-f9f1-46c6-80a4-08d7dd88d478",
          "retryable": false,
        },
        "INVALID_SECURITY_RESPONSE_NO_RETRY": {
          "canRetry": false,
          "code": "MFA_ANSWER_REJECTED",
          "flinksCode": "INVALID_SECURITY_RESPONSE_NO_RETRY",
          "message": "The answer was not accepted and the session was closed. Start again.",
          "name": "MfaAnswerRejectedError",
          "requestId": "b0debb48-f9f1-46c6-80a4-08d7dd88d478",
          "retryable": false,
        },
        "INVALID_USERNAME": {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "INVALID_USERNAME",
          "message": "The institution did not accept the username.",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
        "NEW_ACCOUNT": {
          "code": "LOGIN_ACTION_REQUIRED",
          "flinksCode": "NEW_ACCOUNT",
          "message": "Your bank needs you to finish a step in its online banking first. Log in there, then try again.",
          "name": "LoginActionRequiredError",
          "retryable": false,
        },
        "QUESTION_NOT_FOUND": {
          "canRetry": false,
          "code": "MFA_ANSWER_REJECTED",
          "flinksCode": "QUESTION_NOT_FOUND",
          "message": "Your bank asked a security question that has no saved answer. Connect your bank again to answer it.",
          "name": "MfaAnswerRejectedError",
          "requestId": "b0debb48-f9f1-46c6-80a4-08d7dd88d478",
          "retryable": false,
        },
        "RETRY_LATER": {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": "RETRY_LATER",
          "message": "Flinks could not reach the institution. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": 7,
          "retryable": true,
        },
        "SECURITYRESPONSES_INCOMPLETE": {
          "canRetry": true,
          "code": "MFA_ANSWER_REJECTED",
          "flinksCode": "SECURITYRESPONSES_INCOMPLETE",
          "message": "Every question of this step needs an answer.",
          "name": "MfaAnswerRejectedError",
          "requestId": "b0debb48-f9f1-46c6-80a4-08d7dd88d478",
          "retryable": false,
        },
        "SESSION_EXPIRED": {
          "code": "SESSION_EXPIRED",
          "flinksCode": "SESSION_EXPIRED",
          "message": "The session expired. Start again.",
          "name": "SessionExpiredError",
          "retryable": false,
        },
        "SESSION_NONEXISTENT": {
          "code": "SESSION_EXPIRED",
          "flinksCode": "SESSION_NONEXISTENT",
          "message": "The session does not exist or has ended. Start again.",
          "name": "SessionExpiredError",
          "retryable": false,
        },
        "SOMETHING_NEW": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "SOMETHING_NEW",
          "message": "Flinks refused the request.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "TOO_MANY_REQUESTS": {
          "code": "RATE_LIMITED",
          "flinksCode": "TOO_MANY_REQUESTS",
          "message": "Too many requests to Flinks. Wait before trying again.",
          "name": "RateLimitedError",
          "retryAfterSeconds": 7,
          "retryable": true,
        },
        "UNKNOWN_CHALLENGE_KEY": {
          "canRetry": true,
          "code": "MFA_ANSWER_REJECTED",
          "flinksCode": "UNKNOWN_CHALLENGE_KEY",
          "message": "An answer did not match any question of this step.",
          "name": "MfaAnswerRejectedError",
          "requestId": "b0debb48-f9f1-46c6-80a4-08d7dd88d478",
          "retryable": false,
        },
      }
    `);
  });

  it('means what a deletion makes of it on /DeleteCard', async () => {
    const outcomes: Record<string, unknown> = {};
    for (const code of CODES) {
      outcomes[code] = await deleteAnswered(400, { HttpStatusCode: 400, FlinksCode: code });
    }
    expect(outcomes).toMatchInlineSnapshot(`
      {
        "ACCESS_DENIED": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "ACCESS_DENIED",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "AGGREGATION_ERROR": {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": "AGGREGATION_ERROR",
          "message": "Flinks had an unexpected failure. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
        "ALREADY_AUTHORIZED": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "ALREADY_AUTHORIZED",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "CARD_IN_USE": {
          "code": "SESSION_BUSY",
          "flinksCode": "CARD_IN_USE",
          "message": "Your bank is still processing this connection. Try again in a few seconds.",
          "name": "SessionBusyError",
          "retryAfterSeconds": 5,
          "retryable": true,
        },
        "CONCURRENT_SESSION": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "CONCURRENT_SESSION",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "DISABLED_INSTITUTION": {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": "DISABLED_INSTITUTION",
          "message": "The institution is not available right now. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
        "DISABLED_LOGIN": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "DISABLED_LOGIN",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "INVALID_LOGIN": "unknown",
        "INVALID_PASSWORD": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "INVALID_PASSWORD",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "INVALID_REQUEST": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "INVALID_REQUEST",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "INVALID_SECURITY_RESPONSE": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "INVALID_SECURITY_RESPONSE",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "INVALID_SECURITY_RESPONSE_NO_RETRY": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "INVALID_SECURITY_RESPONSE_NO_RETRY",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "INVALID_USERNAME": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "INVALID_USERNAME",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "NEW_ACCOUNT": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "NEW_ACCOUNT",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "QUESTION_NOT_FOUND": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "QUESTION_NOT_FOUND",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "RETRY_LATER": {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": "RETRY_LATER",
          "message": "Flinks could not reach the institution. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
        "SECURITYRESPONSES_INCOMPLETE": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "SECURITYRESPONSES_INCOMPLETE",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "SESSION_EXPIRED": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "SESSION_EXPIRED",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "SESSION_NONEXISTENT": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "SESSION_NONEXISTENT",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "SOMETHING_NEW": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "SOMETHING_NEW",
          "message": "Flinks refused the request.",
          "name": "UpstreamError",
          "retryable": false,
        },
        "TOO_MANY_REQUESTS": {
          "code": "RATE_LIMITED",
          "flinksCode": "TOO_MANY_REQUESTS",
          "message": "Too many requests to Flinks. Wait before trying again.",
          "name": "RateLimitedError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
        "UNKNOWN_CHALLENGE_KEY": {
          "code": "UPSTREAM_ERROR",
          "flinksCode": "UNKNOWN_CHALLENGE_KEY",
          "message": "Flinks refused to delete the login.",
          "name": "UpstreamError",
          "retryable": false,
        },
      }
    `);
  });

  it('names the refused field of an INVALID_REQUEST in the input’s terms', async () => {
    const answer = (details: unknown) =>
      authorizeAnswered(400, {
        FlinksCode: 'INVALID_REQUEST',
        ValidationDetails: details,
      });
    expect([
      await answer({ Institution: ['unknown'] }),
      await answer({ Username: ['x'], 'not a field!': ['y'] }),
      await answer('not an object'),
    ]).toMatchInlineSnapshot(`
      [
        {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "INVALID_REQUEST",
          "message": "Flinks does not know this institution. Check its name, spelled as Flinks lists it (FlinksCapital on the toolbox and the embedded simulator).",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
        {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "INVALID_REQUEST",
          "message": "Flinks refused the request: check \`username\`.",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
        {
          "code": "INVALID_CREDENTIALS",
          "flinksCode": "INVALID_REQUEST",
          "message": "Flinks refused the request as incomplete or malformed.",
          "name": "InvalidCredentialsError",
          "retryable": false,
        },
      ]
    `);
  });

  it('is read only from the table: a code named like an object property is an unknown code', async () => {
    for (const flinksCode of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(await authorizeAnswered(400, { FlinksCode: flinksCode })).toEqual({
        code: 'UPSTREAM_ERROR',
        flinksCode,
        message: 'Flinks refused the request.',
        name: 'UpstreamError',
        retryable: false,
      });
    }
  });
});

describe('an answer without a FlinksCode', () => {
  it('is read on its status: 429 rate limited, 5xx or a 4xx page unavailable, anything else a broken contract', async () => {
    expect([
      await authorizeAnswered(429, 'slow down', { 'retry-after': '3' }),
      await authorizeAnswered(503, '<html>down</html>'),
      await authorizeAnswered(404, '<html>no</html>'),
      await authorizeAnswered(409, { HttpStatusCode: 409 }),
      await deleteAnswered(429, 'slow down'),
      await deleteAnswered(404, '<html>no</html>'),
    ]).toMatchInlineSnapshot(`
      [
        {
          "code": "RATE_LIMITED",
          "flinksCode": null,
          "message": "Too many requests to Flinks. Wait before trying again.",
          "name": "RateLimitedError",
          "retryAfterSeconds": 3,
          "retryable": true,
        },
        {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": null,
          "message": "Flinks is not available right now. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
        {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": null,
          "message": "Flinks is not available right now. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
        {
          "detail": {
            "bytes": 22,
            "contentType": undefined,
          },
          "endpoint": "Authorize",
          "message": "Flinks answered Authorize with an undocumented status.",
          "name": "FlinksContractError",
          "status": 409,
        },
        {
          "code": "RATE_LIMITED",
          "flinksCode": null,
          "message": "Too many requests to Flinks. Wait before trying again.",
          "name": "RateLimitedError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
        {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": null,
          "message": "Flinks is not available right now. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
      ]
    `);
  });
});

describe('a transient failure', () => {
  const success = {
    RequestId: REQUEST_ID,
    Institution: 'FlinksCapital',
    Login: { Id: LOGIN_ID, LastRefresh: '2020-04-15T22:46:03.1690585' },
  };

  it('is any 5xx, with or without a FlinksCode: a replayable call is sent again; a 4xx never is', async () => {
    const cached = { mode: 'cached', loginId: LOGIN_ID } as const;
    const outcomes: unknown[] = [];
    for (const [status, body] of [
      [500, { FlinksCode: 'AGGREGATION_ERROR' }],
      [502, '<html>bad gateway</html>'],
      [400, { FlinksCode: 'AGGREGATION_ERROR' }],
    ] as const) {
      const { pool, client } = mockedClient();
      const authorize = () => pool.intercept({ path: `${BASE}/Authorize`, method: 'POST' });
      authorize().reply(status, body);
      authorize().reply(200, success);
      const outcome = await client.authorize(cached).catch((error: unknown) => error);
      outcomes.push(outcome instanceof Error ? summary(outcome) : 'success');
    }
    expect(outcomes).toMatchInlineSnapshot(`
      [
        "success",
        "success",
        {
          "code": "INSTITUTION_UNAVAILABLE",
          "flinksCode": "AGGREGATION_ERROR",
          "message": "Flinks had an unexpected failure. Try again later.",
          "name": "InstitutionUnavailableError",
          "retryAfterSeconds": null,
          "retryable": true,
        },
      ]
    `);
  });
});

describe('a body that breaks its contract', () => {
  it('is thrown with the endpoint, the status and where the body is wrong, never its values', async () => {
    const { pool, client } = mockedClient();
    const authorize = () => pool.intercept({ path: `${BASE}/Authorize`, method: 'POST' });
    authorize().reply(200, { RequestId: REQUEST_ID, Login: { Id: LOGIN_ID, LastRefresh: 'x' } });
    authorize().reply(203, { RequestId: REQUEST_ID, SecurityChallenges: [] });
    authorize().reply(200, 'not json');
    const data = (path: string) => pool.intercept({ path: `${BASE}/${path}`, method: 'POST' });
    data('GetAccountsSummary').reply(200, { RequestId: REQUEST_ID, Accounts: [{ Id: 'a' }] });
    data('GetStatements').reply(200, { RequestId: REQUEST_ID, StatementsByAccount: [{}] });
    data('GetAccountsDetail').reply(202, { FlinksCode: 'SOMETHING_ELSE' });
    const cached = { mode: 'cached', loginId: LOGIN_ID } as const;
    const detail = {
      days: 'Days90',
      withTransactions: true,
      withBalance: true,
      withAccountIdentity: false,
      withKyc: false,
      accountIds: null,
    } as const;
    const outcomes = [
      client.authorize(cached),
      client.authorize(cached),
      client.authorize(cached),
      client.accountsSummary(REQUEST_ID),
      client.statements(REQUEST_ID, { period: 'MostRecent', accountIds: null }),
      client.accountsDetail(REQUEST_ID, detail),
    ];
    const settled = [];
    for (const outcome of outcomes) settled.push(summary(await outcome.catch((e: unknown) => e)));
    expect(settled).toMatchInlineSnapshot(`
      [
        {
          "detail": [
            {
              "message": "Invalid input: expected string, received undefined",
              "path": "Institution",
            },
            {
              "message": "not a Flinks date-time",
              "path": "Login.LastRefresh",
            },
          ],
          "endpoint": "Authorize",
          "message": "Flinks' Authorize body does not match its contract.",
          "name": "FlinksContractError",
          "status": 200,
        },
        {
          "detail": [
            {
              "message": "Too small: expected array to have >=1 items",
              "path": "SecurityChallenges",
            },
          ],
          "endpoint": "Authorize",
          "message": "Flinks' Authorize body does not match its contract.",
          "name": "FlinksContractError",
          "status": 203,
        },
        {
          "detail": [
            {
              "message": "Invalid input: expected object, received undefined",
              "path": "",
            },
          ],
          "endpoint": "Authorize",
          "message": "Flinks' Authorize body does not match its contract.",
          "name": "FlinksContractError",
          "status": 200,
        },
        {
          "detail": [
            {
              "message": "Invalid input: expected string, received undefined",
              "path": "Accounts.0.Currency",
            },
          ],
          "endpoint": "GetAccountsSummary",
          "message": "Flinks' GetAccountsSummary body does not match its contract.",
          "name": "FlinksContractError",
          "status": 200,
        },
        {
          "detail": [
            {
              "message": "Invalid input: expected string, received undefined",
              "path": "StatementsByAccount.0.AccountNumber",
            },
            {
              "message": "Invalid input: expected array, received undefined",
              "path": "StatementsByAccount.0.Statements",
            },
          ],
          "endpoint": "GetStatements",
          "message": "Flinks' GetStatements body does not match its contract.",
          "name": "FlinksContractError",
          "status": 200,
        },
        {
          "detail": [
            {
              "message": "Invalid option: expected one of "OPERATION_PENDING"|"OPERATION_DISPATCHED"",
              "path": "FlinksCode",
            },
          ],
          "endpoint": "GetAccountsDetail",
          "message": "Flinks' GetAccountsDetail body does not match its contract.",
          "name": "FlinksContractError",
          "status": 202,
        },
      ]
    `);
  });
});
