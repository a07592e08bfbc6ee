import { createHash } from 'node:crypto';
import {
  answeredMatching,
  answeredWith,
  type ChallengeSpec,
  CITY_QUESTION,
  COUNTRY_QUESTION,
  chose,
  type Language,
  question,
  type Round,
  SHAPE_QUESTION,
} from './challenges.ts';
import { RED_SECURITY_IMAGE, SECURITY_IMAGES } from './images.ts';
import type { FaultKind } from './wire.ts';

export const PASSWORD = 'Everyday';
export const INSTITUTION = 'FlinksCapital';
export const INSTITUTION_ID = 14;

export interface FlinksFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type LiveFlow =
  | { readonly kind: 'success' }
  | {
      readonly kind: 'mfa';
      readonly rounds: readonly Round[];
      readonly language?: Language;
      readonly onWrongAnswer?: 'retry' | 'end-session';
      readonly expiresBeforeAnswer?: boolean;
    }
  | { readonly kind: 'failure'; readonly failure: FlinksFailure }
  | { readonly kind: 'bad-gateway' }
  | { readonly kind: 'broken-contract' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'token-refused'; readonly once: boolean }
  /** A fault (faults.ts); with `once`, only the first call on the username, later ones are 200. */
  | { readonly kind: 'fault'; readonly fault: FaultKind; readonly once: boolean };

export type MfaFlow = Extract<LiveFlow, { kind: 'mfa' }>;

export interface SimulatorUser {
  readonly username: string;
  readonly triggers: string;
  readonly flow: LiveFlow;
  /** Leave out InstitutionName, InstitutionId and Login.Type from the 200, as the TD example does. */
  readonly sparseSuccess?: boolean;
  /** Leave out HttpStatusCode and Links from the 203, as the trusted-device example does. */
  readonly bareChallenge?: boolean;
  /**
   * The first POST /GetAccountsDetail on each RequestId answers 202 with this code; the data is
   * ready (on /GetAccountsDetailAsync and later POSTs) once the option named by `readyAfter` has passed.
   */
  readonly detailPending?: {
    readonly code: 'OPERATION_PENDING' | 'OPERATION_DISPATCHED';
    readonly readyAfter: 'detailDelayMs' | 'pendingDelayMs';
  };
  /** The Savings account's Balance.Current in cents, instead of one derived from the username. */
  readonly savingsCents?: bigint;
}

export interface SeededLogin {
  readonly loginId: string;
  readonly username: string;
  readonly triggers: string;
  readonly lastRefresh: string;
  /** Answered to both cached and refresh calls instead of the normal outcome. */
  readonly failure?: FlinksFailure & { readonly withRequestId?: boolean };
}

const RESET_CHOICES = [
  'What is the name of your first pet?',
  'What was the make of your first car?',
  'In what city did your parents meet?',
  'What is the name of your favourite teacher?',
  'What is the title of your favourite book?',
];

const RESET_ROUND: Round = [1, 2, 3].map(
  (n): ChallengeSpec => ({
    type: 'QuestionAndAnswer',
    prompt: `Personal Verification Question ${n}`,
    iterables: RESET_CHOICES,
    keyedByChoice: true,
    accepts: answeredMatching(/./),
  }),
);

const NONE_OF_THE_ABOVE = 'None of the above';

function mfa(rounds: readonly Round[], options: Omit<MfaFlow, 'kind' | 'rounds'> = {}): MfaFlow {
  return { kind: 'mfa', rounds, ...options };
}

function failure(
  status: number,
  code: string,
  message: string,
  headers?: Readonly<Record<string, string>>,
): LiveFlow {
  return { kind: 'failure', failure: { status, code, message, ...(headers ? { headers } : {}) } };
}

const TOO_MANY_REQUESTS = 'Too many requests have been made. Please try again later.';

export const USERS: readonly SimulatorUser[] = [
  {
    username: 'Greatday',
    triggers:
      'Two 203 rounds: "What city were you born in?" (Montreal), then "What shape do people like most?" (Triangle); then 200. ' +
      'Data: the first GetAccountsDetail on a RequestId is 202 OPERATION_PENDING, ready on GetAccountsDetailAsync after detailDelayMs (1,500 ms); ' +
      'the Savings Balance.Current is 87654321098765.43, which no double holds (String(JSON.parse(it)) is "87654321098765.44")',
    flow: mfa([[CITY_QUESTION], [SHAPE_QUESTION]]),
    detailPending: { code: 'OPERATION_PENDING', readyAfter: 'detailDelayMs' },
    // Above 2^46 dollars doubles are 1/64 apart, so no double is 87654321098765.43: JSON.parse
    // gives 87654321098765.4375, printed back as .44. Below 2^53 cents, so integer cents are exact.
    // A gateway that reads money as a JS number changes this balance; one that keeps the token does not.
    savingsCents: 8765432109876543n,
  },
  { username: 'greatday_nomfa', triggers: '200 at once, no MFA', flow: { kind: 'success' } },
  {
    username: 'test_pending',
    triggers:
      '200 at once, no MFA. Data: the first GetAccountsDetail on a RequestId is 202 OPERATION_PENDING, ready on GetAccountsDetailAsync after pendingDelayMs (20,000 ms)',
    flow: { kind: 'success' },
    detailPending: { code: 'OPERATION_PENDING', readyAfter: 'pendingDelayMs' },
  },
  {
    username: 'test_dispatched',
    triggers:
      '200 at once, no MFA. Data: the first GetAccountsDetail on a RequestId is 202 OPERATION_DISPATCHED, ready on GetAccountsDetailAsync after pendingDelayMs (20,000 ms)',
    flow: { kind: 'success' },
    detailPending: { code: 'OPERATION_DISPATCHED', readyAfter: 'pendingDelayMs' },
  },
  {
    username: 'mfa_triple',
    triggers:
      'One 203 with three QuestionAndAnswer: "What is the name of your mother" (Louise), "What is the name of your father" (Paul), "What is the name of your dog" (Wouf); then 200',
    flow: mfa([
      [
        question('What is the name of your mother', 'Louise'),
        question('What is the name of your father', 'Paul'),
        question('What is the name of your dog', 'Wouf'),
      ],
    ]),
  },
  {
    username: 'mfa_reset_questions',
    triggers:
      '203 "Personal Verification Question 1..3", each with the same 5 Iterables; key each answer by a different chosen question, any non-empty answer; then 200',
    flow: mfa([RESET_ROUND]),
  },
  {
    username: 'mfa_image',
    triggers:
      '203 "What city were you born in?" (Montreal), then ImageSelection "Select your security image (hint: the red one)" with 16 base64 images (PNG, GIF, BMP); answer the red one\'s string; then 200',
    flow: mfa([
      [CITY_QUESTION],
      [
        {
          type: 'ImageSelection',
          prompt: 'Select your security image (hint: the red one)',
          iterables: SECURITY_IMAGES,
          accepts: (answers) => answers.length === 1 && answers[0] === RED_SECURITY_IMAGE,
        },
      ],
    ]),
  },
  {
    username: 'mfa_securid',
    triggers:
      '203 "Enter your SecurID" (any 6 digits, e.g. 123456), then "What is the best country on earth?" (Canada); then 200',
    flow: mfa([
      [
        {
          type: 'QuestionAndAnswer',
          prompt: 'Enter your SecurID',
          accepts: answeredMatching(/^\d{6}$/),
        },
      ],
      [COUNTRY_QUESTION],
    ]),
  },
  {
    username: 'mfa_scotia',
    triggers:
      '203 MultipleChoice "Choose one of the following:" (["None of the above"]) + MultipleChoiceMultipleAnswers "What purchases did you make over the last 10 days?" (["Purchase 1: $10.35", "Purchase 3: $143.86"]), then the reset-questions round; then 200',
    flow: mfa([
      [
        {
          type: 'MultipleChoice',
          prompt: 'Choose one of the following:',
          iterables: [
            'I have lived at 123 Fake Street',
            'I have a cat named Rex',
            'I bank with Scotia',
            NONE_OF_THE_ABOVE,
          ],
          accepts: chose(NONE_OF_THE_ABOVE),
        },
        {
          type: 'MultipleChoiceMultipleAnswers',
          prompt: 'What purchases did you make over the last 10 days?',
          iterables: [
            'Purchase 1: $10.35',
            'Purchase 2: $73.42',
            'Purchase 3: $143.86',
            NONE_OF_THE_ABOVE,
          ],
          accepts: chose('Purchase 1: $10.35', 'Purchase 3: $143.86'),
        },
      ],
      RESET_ROUND,
    ]),
  },
  {
    username: 'mfa_text_or_call',
    triggers:
      '203 TextOrCall "Choose a phone number", key = one of the numbers, value ["Text"] or ["Call"]; then "Enter the security code" (123456); then a 200 without InstitutionName, InstitutionId, Login.Type',
    flow: mfa([
      [
        {
          type: 'TextOrCall',
          prompt: 'Choose a phone number',
          iterables: ['(514) ***-**12', '(438) ***-**34'],
          keyedByChoice: true,
          accepts: (answers) => answeredWith('Text')(answers) || answeredWith('Call')(answers),
        },
      ],
      [question('Enter the security code', '123456')],
    ]),
    sparseSuccess: true,
  },
  {
    username: 'mfa_trusted_device',
    triggers:
      '203 without HttpStatusCode and Links: WaitUntilEUAccept "Please verify your identity on your trusted device" (["VERIFIED"]), sent without Iterables; then 200',
    flow: mfa([
      [
        {
          type: 'WaitUntilEUAccept',
          prompt: 'Please verify your identity on your trusted device',
          accepts: answeredWith('VERIFIED'),
        },
      ],
    ]),
    bareChallenge: true,
  },
  {
    username: 'mfa_unknown_type',
    triggers:
      '203 with a Type the gateway does not know: PushNotificationCode "Enter the code shown in your bank\'s app" (424242); then 200',
    flow: mfa([
      [
        {
          type: 'PushNotificationCode',
          prompt: "Enter the code shown in your bank's app",
          accepts: answeredWith('424242'),
        },
      ],
    ]),
  },
  {
    username: 'mfa_no_retry',
    triggers:
      '203 "What city were you born in?"; a wrong answer is 401 INVALID_SECURITY_RESPONSE_NO_RETRY and ends the session; Montreal gives 200',
    flow: mfa([[CITY_QUESTION]], { onWrongAnswer: 'end-session' }),
  },
  {
    username: 'mfa_session_expires',
    triggers: '203 "What city were you born in?"; any answer is 400 SESSION_EXPIRED',
    flow: mfa([[CITY_QUESTION]], { expiresBeforeAnswer: true }),
  },
  {
    username: 'mfa_french',
    triggers:
      'Greatday\'s two rounds with French prompts whatever the Language ("Dans quelle ville êtes-vous né?")',
    flow: mfa([[CITY_QUESTION], [SHAPE_QUESTION]], { language: 'fr' }),
  },
  {
    username: 'test_disabled_account',
    triggers: '401 DISABLED_LOGIN',
    flow: failure(
      401,
      'DISABLED_LOGIN',
      'The login has been disabled by the financial institution. The user must contact their bank.',
    ),
  },
  {
    username: 'test_service_unavailable',
    triggers: '401 RETRY_LATER',
    flow: failure(
      401,
      'RETRY_LATER',
      'The financial institution could not be reached. Please try again later.',
    ),
  },
  {
    username: 'test_invalid_login',
    triggers: '401 INVALID_LOGIN',
    flow: failure(401, 'INVALID_LOGIN', 'The login information provided is invalid.'),
  },
  {
    username: 'test_access_denied',
    triggers: '401 ACCESS_DENIED',
    flow: failure(401, 'ACCESS_DENIED', 'The authentication was unsuccessful.'),
  },
  {
    username: 'test_new_account',
    triggers: '401 NEW_ACCOUNT',
    flow: failure(
      401,
      'NEW_ACCOUNT',
      'The user must complete an action in their online banking before connecting.',
    ),
  },
  {
    username: 'test_concurrent_session',
    triggers: '400 CONCURRENT_SESSION',
    flow: failure(400, 'CONCURRENT_SESSION', 'Another session is already open for this login.'),
  },
  {
    username: 'test_card_in_use',
    triggers: '400 CARD_IN_USE',
    flow: failure(
      400,
      'CARD_IN_USE',
      'The login is still being processed. Please try again later.',
    ),
  },
  {
    username: 'test_already_authorized',
    triggers: '400 ALREADY_AUTHORIZED',
    flow: failure(400, 'ALREADY_AUTHORIZED', 'This session has already been authorized.'),
  },
  {
    username: 'test_aggregation_error',
    triggers: '500 AGGREGATION_ERROR',
    flow: failure(500, 'AGGREGATION_ERROR', 'An unexpected error occurred during the aggregation.'),
  },
  {
    username: 'test_disabled_institution',
    triggers: '405 DISABLED_INSTITUTION',
    flow: failure(405, 'DISABLED_INSTITUTION', 'The institution is currently unavailable.'),
  },
  {
    username: 'test_too_many_requests',
    triggers: '401 TOO_MANY_REQUESTS',
    flow: failure(401, 'TOO_MANY_REQUESTS', TOO_MANY_REQUESTS),
  },
  {
    username: 'test_too_many_requests_403',
    triggers: '403 TOO_MANY_REQUESTS',
    flow: failure(403, 'TOO_MANY_REQUESTS', TOO_MANY_REQUESTS),
  },
  {
    username: 'test_too_many_requests_429',
    triggers: '429 TOO_MANY_REQUESTS with Retry-After: 30',
    flow: failure(429, 'TOO_MANY_REQUESTS', TOO_MANY_REQUESTS, { 'retry-after': '30' }),
  },
  {
    username: 'test_unauthorized',
    triggers: '401 UNAUTHORIZED',
    flow: failure(401, 'UNAUTHORIZED', 'You are not authorized to perform this operation.'),
  },
  {
    username: 'test_unknown_code',
    triggers: '400 SOMETHING_NEW_FROM_FLINKS (a code the gateway does not know)',
    flow: failure(400, 'SOMETHING_NEW_FROM_FLINKS', 'Something new happened at the institution.'),
  },
  {
    username: 'test_server_error',
    triggers: '502 with an HTML body (text/html), as a proxy in front of Flinks answers',
    flow: { kind: 'bad-gateway' },
  },
  {
    username: 'test_broken_contract',
    triggers: '200 JSON without Login and RequestId',
    flow: { kind: 'broken-contract' },
  },
  {
    username: 'test_slow',
    triggers: '200 after 3,000 ms (the wait ends when the client disconnects or the server closes)',
    flow: { kind: 'slow', delayMs: 3000 },
  },
  {
    username: 'test_token_refused_once',
    triggers:
      'The first Authorize in the simulator\'s lifetime is 401 "You must provide a valid authorize token" (no FlinksCode) despite a valid token; later ones are 200',
    flow: { kind: 'token-refused', once: true },
  },
  {
    username: 'test_token_refused_always',
    triggers: 'Always 401 "You must provide a valid authorize token" (no FlinksCode)',
    flow: { kind: 'token-refused', once: false },
  },
  {
    username: 'fault_502',
    triggers: '502 with an empty body',
    flow: { kind: 'fault', fault: '502', once: false },
  },
  {
    username: 'fault_502_html',
    triggers: '502 with an HTML body (text/html)',
    flow: { kind: 'fault', fault: '502-html', once: false },
  },
  {
    username: 'fault_503',
    triggers: '503 with an empty body',
    flow: { kind: 'fault', fault: '503', once: false },
  },
  {
    username: 'fault_503_html',
    triggers: '503 with an HTML body (text/html)',
    flow: { kind: 'fault', fault: '503-html', once: false },
  },
  {
    username: 'fault_503_once',
    triggers:
      "The first call on it in the simulator's lifetime (login, cached or refresh) is 503 with an empty body; later ones are 200",
    flow: { kind: 'fault', fault: '503', once: true },
  },
  {
    username: 'fault_429',
    triggers: "429 TOO_MANY_REQUESTS with Retry-After (the faults' retryAfterSeconds, default 1)",
    flow: { kind: 'fault', fault: '429', once: false },
  },
  {
    username: 'fault_malformed_json',
    triggers: '200 with content-type JSON and a body that is not JSON',
    flow: { kind: 'fault', fault: 'malformed-json', once: false },
  },
  {
    username: 'fault_cut_body',
    triggers: '200 whose content-length promises more than is sent; then the socket is destroyed',
    flow: { kind: 'fault', fault: 'cut-body', once: false },
  },
  {
    username: 'fault_reset',
    triggers: 'The connection is reset before any response byte',
    flow: { kind: 'fault', fault: 'reset', once: false },
  },
  {
    username: 'fault_reset_once',
    triggers:
      "The first call on it in the simulator's lifetime is a reset connection; later ones are 200",
    flow: { kind: 'fault', fault: 'reset', once: true },
  },
  {
    username: 'fault_trickle',
    triggers:
      '200 whose body arrives one byte per trickleIntervalMs (default 1,000 ms): trips a body timeout',
    flow: { kind: 'fault', fault: 'trickle', once: false },
  },
];

export const SEEDED_LOGINS: readonly SeededLogin[] = [
  {
    loginId: '534dfb34-7ed7-4f7b-a318-84150425914d',
    username: 'Greatday',
    triggers: "Cached: 200. Refresh: Greatday's two MFA rounds",
    lastRefresh: '2020-04-15T22:46:03.1690585',
  },
  {
    // Not an RFC 4122 variant, like real Flinks LoginIds ("5e115eac-1209-4f19-641c-08d6d484e2fe" in
    // authorize-api-reference.txt): a gateway must accept any GUID-shaped id.
    loginId: 'd0f266bb-8346-452a-631c-08d9e68f0c2b',
    username: 'greatday_nomfa',
    triggers:
      'Cached: 200. Refresh: 200 without MFA. (Its variant nibble is not RFC 4122, like some real LoginIds.)',
    lastRefresh: '2025-06-02T13:07:45.3310212',
  },
  {
    loginId: 'a70c7908-57fa-4279-9773-636155547916',
    username: 'mfa_trusted_device',
    triggers: 'Cached: 200. Refresh: 203 WaitUntilEUAccept (["VERIFIED"]), then 200',
    lastRefresh: '2024-11-19T08:30:12.0048861',
  },
  {
    loginId: '90f918bf-2ad4-4711-813d-395c0d54d38c',
    username: 'test_question_not_found',
    triggers:
      'Cached and refresh: 401 QUESTION_NOT_FOUND with a fresh RequestId (in cached mode that RequestId is an open session)',
    lastRefresh: '2025-01-08T03:12:55.7420000',
    failure: {
      status: 401,
      code: 'QUESTION_NOT_FOUND',
      message: 'No answer is stored for a security question asked by the institution.',
      withRequestId: true,
    },
  },
  {
    loginId: 'f7117f90-3e1d-4232-88d5-a2df0caf0b7d',
    username: 'test_disabled_account',
    triggers: 'Cached and refresh: 401 DISABLED_LOGIN',
    lastRefresh: '2023-09-27T17:41:29.9102934',
    failure: {
      status: 401,
      code: 'DISABLED_LOGIN',
      message:
        'The login has been disabled by the financial institution. The user must contact their bank.',
    },
  },
  {
    loginId: '1f940902-0efb-4c04-acb4-7020b886a13c',
    username: 'fault_502',
    triggers: 'Cached and refresh: as a login of fault_502',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: 'd7350803-4b93-48c7-a22e-20b5e749f90c',
    username: 'fault_502_html',
    triggers: 'Cached and refresh: as a login of fault_502_html',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: '01c43504-0dd3-4380-8110-29ec58615437',
    username: 'fault_503',
    triggers: 'Cached and refresh: as a login of fault_503',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: '908272b6-ccd4-4781-8c68-9eb1416719b4',
    username: 'fault_503_html',
    triggers: 'Cached and refresh: as a login of fault_503_html',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: '3cd91d9f-3ca9-4a12-9cfc-bf18d0131e73',
    username: 'fault_503_once',
    triggers: 'Cached and refresh: as a login of fault_503_once',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: '9172a752-dc67-473a-9b22-89e7360569fb',
    username: 'fault_429',
    triggers: 'Cached and refresh: as a login of fault_429',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: 'c87147e0-5458-4f33-ae66-8b95c6166364',
    username: 'fault_malformed_json',
    triggers: 'Cached and refresh: as a login of fault_malformed_json',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: '4c7a6abd-1d3e-4d5d-82f4-715a052c8672',
    username: 'fault_cut_body',
    triggers: 'Cached and refresh: as a login of fault_cut_body',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: '8f4ed72b-7689-4df6-9285-cfcfb5ed18f6',
    username: 'fault_reset',
    triggers: 'Cached and refresh: as a login of fault_reset',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: '1900c772-c58d-4214-8295-c74ba9649936',
    username: 'fault_reset_once',
    triggers: 'Cached and refresh: as a login of fault_reset_once',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
  {
    loginId: 'de025f1e-a0f7-4ca7-a7c5-4981a0a24f77',
    username: 'fault_trickle',
    triggers: 'Cached and refresh: as a login of fault_trickle',
    lastRefresh: '2025-03-11T09:20:00.0000000',
  },
];

const usersByName = new Map(USERS.map((user) => [user.username.toLowerCase(), user]));
const seededByUsername = new Map(
  SEEDED_LOGINS.map((login) => [login.username.toLowerCase(), login]),
);

export function findUser(username: string): SimulatorUser | undefined {
  return usersByName.get(username.toLowerCase());
}

function digest(username: string): Buffer {
  return createHash('sha256').update(`flinks-simulator:${username.toLowerCase()}`).digest();
}

function derivedLoginId(username: string): string {
  const bytes = digest(username).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The LoginId a successful live login of this username returns: the same on every run. */
export function loginIdOf(username: string): string {
  return seededByUsername.get(username.toLowerCase())?.loginId ?? derivedLoginId(username);
}

const DERIVED_REFRESH_FROM = Date.UTC(2024, 0, 1);
const DERIVED_REFRESH_SPAN_MS = 365 * 24 * 3600 * 1000;

/** A fixed past LastRefresh per username, for cached calls on a LoginId learned from a login. */
export function derivedLastRefresh(username: string): string {
  const hash = digest(username);
  const instant = DERIVED_REFRESH_FROM + (hash.readUInt32BE(16) % DERIVED_REFRESH_SPAN_MS);
  const ticks = String(hash.readUInt16BE(20) % 10000).padStart(4, '0');
  return `${utcToMilliseconds(instant)}${ticks}`;
}

function utcToMilliseconds(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 23);
}

/** Flinks' LastRefresh: UTC without an offset, seven fractional digits. */
export function formatLastRefresh(epochMs: number): string {
  return `${utcToMilliseconds(epochMs)}0000`;
}
