import type { MfaRequiredView } from '../authorize/views.ts';
import { InvalidInputError, ServiceUnavailableError, SessionExpiredError } from '../errors.ts';
import type { AuthorizeSuccessOutcome, FlinksLogin } from '../flinks/types.ts';
import { builder } from './builder.ts';
import { SecurityChallenge } from './challenges.ts';
import { AUTHORIZE_ERRORS } from './errors.ts';
import { observed, ofKind } from './observed.ts';
import { DataSession } from './session.ts';

const Language = builder.enumType('Language', {
  description: 'The language of the connection and of the MFA prompts.',
  values: {
    EN: { value: 'en', description: 'English.' },
    FR: { value: 'fr', description: 'French: Flinks asks MFA questions in French.' },
  } as const,
});

const CachedAuthorizeInput = builder.inputType('CachedAuthorizeInput', {
  description: 'Cached mode (`MostRecentCached: true`): the recommended Flinks Connect path.',
  fields: (t) => ({
    loginId: t.id({ required: true, description: 'The LoginId Flinks Connect returned.' }),
  }),
});

const liveFields = {
  language: { type: Language, description: 'Language of the connection. Flinks defaults to EN.' },
  save: {
    description:
      'Whether Flinks keeps the credentials and data after the request (Flinks’ `Save`).',
  },
  tag: { description: 'A string of your own, attached to the request and echoed back.' },
} as const;

const RefreshAuthorizeInput = builder.inputType('RefreshAuthorizeInput', {
  description:
    'Live mode with a stored LoginId (`MostRecentCached: false`): a refresh, may raise MFA.',
  fields: (t) => ({
    loginId: t.id({ required: true, description: 'The LoginId to refresh.' }),
    save: t.boolean(liveFields.save),
    tag: t.string(liveFields.tag),
    language: t.field(liveFields.language),
  }),
});

const CredentialsAuthorizeInput = builder.inputType('CredentialsAuthorizeInput', {
  description: 'Live mode with bank credentials (the legacy direct-API path). May raise MFA.',
  fields: (t) => ({
    institution: t.string({
      required: true,
      description: 'Flinks’ institution id, e.g. `FlinksCapital`.',
    }),
    username: t.string({ required: true, description: 'The online-banking username.' }),
    password: t.string({
      required: true,
      description: 'The online-banking password. Sent to Flinks only; never logged or returned.',
    }),
    language: t.field(liveFields.language),
    save: t.boolean(liveFields.save),
    tag: t.string(liveFields.tag),
  }),
});

const AuthorizeInput = builder.inputType('AuthorizeInput', {
  description: 'Exactly one member (a @oneOf input).',
  isOneOf: true,
  fields: (t) => ({
    cached: t.field({
      type: CachedAuthorizeInput,
      description:
        'Cached mode: LoginId + MostRecentCached:true. The recommended Flinks Connect path.',
    }),
    refresh: t.field({
      type: RefreshAuthorizeInput,
      description:
        'Live mode with a stored LoginId (MostRecentCached:false): a refresh, may raise MFA.',
    }),
    credentials: t.field({
      type: CredentialsAuthorizeInput,
      description: 'Live mode with bank credentials (the legacy direct-API path).',
    }),
  }),
});

const SecurityResponseInput = builder.inputType('SecurityResponseInput', {
  description:
    'prompt is the key Flinks expects, byte for byte: the challenge’s prompt, or for a choice-keyed challenge (TextOrCall phone number, question picked from iterables) the chosen iterable.',
  fields: (t) => ({
    prompt: t.string({
      required: true,
      description: 'The key: see `SecurityChallenge.responseKey`.',
    }),
    answers: t.stringList({
      required: true,
      description:
        'The answers: one for most challenges, several for MULTIPLE_CHOICE_MULTIPLE_ANSWERS.',
    }),
  }),
});

const AnswerMfaInput = builder.inputType('AnswerMfaInput', {
  description: 'The answers to every challenge of one MFA step.',
  fields: (t) => ({
    requestId: t.id({
      required: true,
      description: 'The requestId of the `MfaRequired` answered.',
    }),
    responses: t.field({
      type: [SecurityResponseInput],
      required: true,
      description: 'One response per challenge of the step.',
    }),
  }),
});

const Login = builder.objectRef<FlinksLogin>('Login').implement({
  description: 'The login Flinks opened the session on.',
  fields: (t) => ({
    id: t.exposeID('id', {
      description: 'The LoginId: keep it server-side to open cached sessions later.',
    }),
    username: t.exposeString('username', { nullable: true, description: 'The bank username.' }),
    lastRefresh: t.expose('lastRefresh', {
      type: 'DateTime',
      description: 'When Flinks last aggregated this login’s data (UTC).',
    }),
    isScheduledRefresh: t.exposeBoolean('isScheduledRefresh', {
      nullable: true,
      description: 'Whether the last refresh was a scheduled (nightly) one.',
    }),
    type: t.exposeString('type', { nullable: true, description: 'E.g. `Personal` or `Business`.' }),
  }),
});

const AuthorizeSuccess = builder.objectRef<AuthorizeSuccessOutcome>('AuthorizeSuccess').implement({
  description: 'The session is open: its data can be read here or later with `Query.session`.',
  interfaces: [DataSession],
  isTypeOf: ofKind('AuthorizeSuccess', 'success'),
  fields: (t) => ({
    institution: t.exposeString('institution', { description: 'Flinks’ institution id.' }),
    institutionName: t.exposeString('institutionName', {
      nullable: true,
      description: 'Display name.',
    }),
    institutionId: t.exposeInt('institutionId', {
      nullable: true,
      description: 'Flinks’ numeric id.',
    }),
    login: t.expose('login', { type: Login, description: 'The login; `login.id` is the LoginId.' }),
    tag: t.exposeString('tag', { nullable: true, description: 'The tag sent with the request.' }),
  }),
});

const MfaRequired = builder.objectRef<MfaRequiredView>('MfaRequired').implement({
  description:
    'The institution asks for multi-factor answers: show the challenges, then call `answerMfa` with this requestId.',
  isTypeOf: ofKind('MfaRequired', 'mfa'),
  fields: (t) => ({
    requestId: t.exposeID('requestId', { description: 'Pass it to `answerMfa`.' }),
    challenges: t.expose('challenges', {
      type: [SecurityChallenge],
      description: 'Every challenge of this step: answer them all in one `answerMfa`.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: 'When this step expires if not answered (Flinks’ 8-minute RequestId lifetime).',
    }),
  }),
});

const AuthorizeResult = builder.errorUnion('AuthorizeResult', {
  description: 'The outcome of an /Authorize call: a session, an MFA step, or a typed error.',
  types: [AuthorizeSuccess, MfaRequired, ...AUTHORIZE_ERRORS],
});

const MfaStepResult = builder.errorUnion('MfaStepResult', {
  description: 'The open MFA step of a requestId, or why there is none.',
  types: [MfaRequired, SessionExpiredError, InvalidInputError, ServiceUnavailableError],
});

builder.mutationFields((t) => ({
  authorize: t.field({
    type: AuthorizeResult,
    description: 'Opens a Flinks session: cached, refresh by LoginId, or with bank credentials.',
    args: { input: t.arg({ type: AuthorizeInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      observed(ctx, 'authorize', ctx.authorize.authorize(ctx.principal, input, ctx.signal)),
  }),
  answerMfa: t.field({
    type: AuthorizeResult,
    description: 'Answers one MFA step; the result is another step, the session, or an error.',
    args: { input: t.arg({ type: AnswerMfaInput, required: true }) },
    resolve: (_, { input }, ctx) =>
      observed(ctx, 'answerMfa', ctx.authorize.answerMfa(ctx.principal, input, ctx.signal)),
  }),
}));

builder.queryFields((t) => ({
  mfaStep: t.field({
    type: MfaStepResult,
    description: 'The open MFA step of a requestId the caller received, e.g. after a page reload.',
    args: { requestId: t.arg.id({ required: true }) },
    resolve: (_, { requestId }, ctx) => ctx.authorize.openRound(ctx.principal, String(requestId)),
  }),
}));
