import type { SecurityChallengeFieldsFragment as Challenge } from '../../../src/generated/graphql.ts';
import { accounts } from './accounts.ts';
import { challengeField } from './challenge.ts';
import {
  answerMfa,
  connections,
  type DeleteResult,
  disconnect,
  logIn,
  type Result,
} from './client.ts';
import { h } from './dom.ts';
import './style.css';

const app = document.querySelector('#app') as HTMLElement;

/** A screen: a heading, an optional error, and a form whose submit calls the gateway. */
function screen(
  title: string,
  error: string | undefined,
  fields: Node[],
  submitLabel: string,
  submit: (form: FormData) => Promise<Result>,
  again: (error: string) => void,
): void {
  const button = h('button', { type: 'submit' }, submitLabel);
  const form = h('form', {}, ...fields, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    button.textContent = 'One moment…';
    try {
      show(await submit(new FormData(form)), again);
    } catch {
      again('We could not reach the server. Check your connection and try again.');
    }
  });
  app.replaceChildren(
    h('h1', {}, title),
    ...(error ? [h('p', { role: 'alert' }, error)] : []),
    form,
    connectionsButton(),
  );
}

function connectionsButton(): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: 'secondary', onclick: () => void bankConnections() },
    'Your bank connections',
  );
}

const dateTime = new Intl.DateTimeFormat('en-CA', { dateStyle: 'medium', timeStyle: 'short' });

/**
 * The caller's bank connections (`logins`), each with a Disconnect button (`deleteLogin`). A
 * notice says what the last disconnect did: done, or why not (CARD_IN_USE: wait and try again).
 */
async function bankConnections(notice?: { text: string; alert: boolean }): Promise<void> {
  let logins: Awaited<ReturnType<typeof connections>>;
  try {
    logins = await connections();
  } catch {
    credentials('We could not reach the server. Check your connection and try again.');
    return;
  }
  const items = logins.map((login) => {
    const name = [login.institution, login.username].filter(Boolean).join(' · ');
    const button = h(
      'button',
      { type: 'button', 'aria-label': `Disconnect ${name}` },
      'Disconnect',
    );
    button.addEventListener('click', async () => {
      button.disabled = true;
      button.textContent = 'Disconnecting…';
      try {
        await bankConnections(disconnected(await disconnect(login.loginId), name));
      } catch {
        await bankConnections({
          text: 'We could not reach the server. Check your connection and try again.',
          alert: true,
        });
      }
    });
    return h(
      'li',
      { class: 'connection' },
      h('strong', {}, name),
      h('span', { class: 'hint' }, `Last used ${dateTime.format(new Date(login.lastUsedAt))}`),
      button,
    );
  });
  app.replaceChildren(
    h('h1', {}, 'Your bank connections'),
    ...(notice ? [h('p', { role: notice.alert ? 'alert' : 'status' }, notice.text)] : []),
    items.length > 0
      ? h('ul', { class: 'connections' }, ...items)
      : h('p', {}, 'No bank is connected.'),
    h('button', { type: 'button', onclick: () => credentials() }, 'Connect a bank'),
  );
}

/** What a disconnect did, in the person's terms, by `__typename`. */
function disconnected(result: DeleteResult, name: string): { text: string; alert: boolean } {
  switch (result.__typename) {
    case 'LoginDeleted':
      return { text: `${name} is disconnected. Its data was deleted.`, alert: false };
    case 'SessionBusyError':
    case 'InstitutionUnavailableError':
    case 'RateLimitedError':
    case 'ServiceUnavailableError':
      return {
        text:
          result.retryAfterSeconds == null
            ? result.message
            : `${result.message} (retry after ${result.retryAfterSeconds} s)`,
        alert: true,
      };
    case 'LoginNotFoundError':
    case 'InvalidInputError':
    case 'UpstreamError':
      return { text: result.message, alert: true };
    default:
      return result satisfies never;
  }
}

function credentials(error?: string): void {
  screen(
    'Connect your bank',
    error,
    [
      h(
        'label',
        {},
        'Bank',
        h('input', { name: 'institution', value: 'FlinksCapital', required: true }),
      ),
      h(
        'label',
        {},
        'Username',
        h('input', { name: 'username', autocomplete: 'username', required: true }),
      ),
      h(
        'label',
        {},
        'Password',
        h('input', {
          name: 'password',
          type: 'password',
          autocomplete: 'current-password',
          required: true,
        }),
      ),
    ],
    'Connect',
    (form) =>
      logIn(
        String(form.get('institution')),
        String(form.get('username')),
        String(form.get('password')),
      ),
    credentials,
  );
}

function mfa(requestId: string, challenges: readonly Challenge[], error?: string): void {
  const fields = challenges.map(challengeField);
  const waiting = challenges.every((challenge) => challenge.type === 'WAIT_UNTIL_EU_ACCEPT');
  screen(
    'Confirm it’s you',
    error,
    fields.map((field) => field.element),
    waiting ? 'I approved it' : 'Continue',
    (form) =>
      answerMfa(
        requestId,
        fields.map((field) => field.response(form)),
      ),
    (message) => mfa(requestId, challenges, message),
  );
}

function success(result: Extract<Result, { __typename: 'AuthorizeSuccess' }>): void {
  app.replaceChildren(
    h('h1', {}, 'Your bank is connected'),
    h('p', {}, `${result.institutionName ?? result.institution} is connected.`),
    h('p', { class: 'hint' }, `Login ${result.login.id}`),
    connectionsButton(),
    accounts(result.requestId),
  );
}

/** Every outcome of authorize and answerMfa, by `__typename`. */
function show(result: Result, again: (error: string) => void): void {
  switch (result.__typename) {
    case 'AuthorizeSuccess':
      success(result);
      break;
    case 'MfaRequired':
      mfa(result.requestId, result.challenges);
      break;
    case 'MfaAnswerRejectedError':
      // Ask the same questions again while Flinks keeps the session; otherwise start over.
      if (result.canRetry && result.sessionRequestId && result.challenges.length > 0) {
        mfa(result.sessionRequestId, result.challenges, result.message);
      } else {
        credentials(result.message);
      }
      break;
    case 'InvalidInputError':
      again([result.message, ...result.issues.map((issue) => issue.message)].join(' '));
      break;
    // Nothing was decided: the same form again, to submit once the gateway is ready.
    case 'MfaAnswerInProgressError':
    case 'ServiceUnavailableError':
      again(result.message);
      break;
    case 'InvalidCredentialsError':
    case 'InstitutionUnavailableError':
    case 'RateLimitedError':
    case 'SessionBusyError':
    case 'LoginActionRequiredError':
    case 'SessionExpiredError':
    case 'UpstreamError':
      credentials(result.message);
      break;
    default:
      result satisfies never;
  }
}

credentials();
