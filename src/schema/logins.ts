import {
  InstitutionUnavailableError,
  InvalidInputError,
  LoginNotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  SessionBusyError,
  UpstreamError,
} from '../errors.ts';
import type { ConnectedLoginView, LoginDeletedView } from '../logins/service.ts';
import { UNKNOWN_INSTITUTION } from '../logins/service.ts';
import { builder } from './builder.ts';
import { ErrorInterface } from './errors.ts';
import { observed, ofKind } from './observed.ts';

builder.objectType(LoginNotFoundError, {
  name: 'LoginNotFoundError',
  description:
    'The caller has no bank connection with this loginId: unknown, already deleted by someone else, or another user’s, all answered alike. Nothing was sent to Flinks.',
  interfaces: [ErrorInterface],
});

const ConnectedLogin = builder.objectRef<ConnectedLoginView>('ConnectedLogin').implement({
  description: 'A bank connection (LoginId) the caller owns.',
  fields: (t) => ({
    loginId: t.exposeID('loginId', {
      description: 'The LoginId (lower case): pass it to `authorize` or `deleteLogin`.',
    }),
    institution: t.exposeString('institution', {
      description: `Flinks’ institution id, e.g. \`FlinksCapital\`; \`${UNKNOWN_INSTITUTION}\` until Flinks reports it (a LoginId recorded from an answer that named none, such as a cached QUESTION_NOT_FOUND: the next successful \`authorize\` fills it in).`,
    }),
    username: t.exposeString('username', {
      nullable: true,
      description: 'The bank username as Flinks reported it, when it did.',
    }),
    lastRefresh: t.expose('lastRefresh', {
      type: 'DateTime',
      nullable: true,
      description: 'When Flinks last aggregated the login’s data (UTC), when it said.',
    }),
    connectedAt: t.expose('connectedAt', {
      type: 'DateTime',
      description: 'When this caller first proved the LoginId.',
    }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      description: 'When this caller last opened a session or an MFA step with it.',
    }),
  }),
});

const LoginDeleted = builder.objectRef<LoginDeletedView>('LoginDeleted').implement({
  description:
    'Flinks deleted the LoginId and all its data, and the gateway forgot it with the caller’s sessions and MFA steps on it. Deleting it again answers the same.',
  isTypeOf: ofKind('LoginDeleted', 'deleted'),
  fields: (t) => ({
    loginId: t.exposeID('loginId', { description: 'The LoginId deleted.' }),
  }),
});

const DeleteLoginInput = builder.inputType('DeleteLoginInput', {
  description: 'The bank connection to delete.',
  fields: (t) => ({
    loginId: t.id({ required: true, description: 'A LoginId of `Query.logins`.' }),
  }),
});

/** Every error member a deleteLogin can answer. */
export const DELETE_LOGIN_ERRORS = [
  InvalidInputError,
  LoginNotFoundError,
  SessionBusyError,
  InstitutionUnavailableError,
  RateLimitedError,
  UpstreamError,
  ServiceUnavailableError,
];

const DeleteLoginResult = builder.errorUnion('DeleteLoginResult', {
  description:
    'The outcome of deleteLogin: LoginDeleted, or a typed error. `SessionBusyError` with `flinksCode: CARD_IN_USE` (right after an authorize, while Flinks still processes the account) is retryable after `retryAfterSeconds`.',
  types: [LoginDeleted, ...DELETE_LOGIN_ERRORS],
});

builder.queryFields((t) => ({
  logins: t.field({
    type: [ConnectedLogin],
    description: 'The bank connections (LoginIds) the caller owns, most recently used first.',
    resolve: (_, __, ctx) => ctx.logins.list(ctx.principal),
  }),
}));

builder.mutationFields((t) => ({
  deleteLogin: t.field({
    type: DeleteLoginResult,
    description:
      'Deletes the LoginId and all its data at Flinks (/DeleteCard), then forgets it here.',
    args: { input: t.arg({ type: DeleteLoginInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      observed(
        ctx,
        'deleteLogin',
        ctx.logins.delete(ctx.principal, { loginId: String(input.loginId) }, ctx.signal),
      ),
  }),
}));
