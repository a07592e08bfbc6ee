import { z } from 'zod';
import { FlinksId } from '../flinks/ids.ts';

const CONTROL = /\p{Cc}/u;

const Text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL.test(value), 'must not contain control characters');
const Language = z.enum(['en', 'fr']);
const Live = {
  save: z.boolean().nullish(),
  tag: Text(200).nullish(),
  language: Language.nullish(),
};

export const AuthorizeInput = z
  .object({
    cached: z.object({ loginId: FlinksId }).nullish(),
    refresh: z.object({ loginId: FlinksId, ...Live }).nullish(),
    credentials: z
      .object({
        institution: Text(100),
        username: Text(256).refine((value) => value.trim() !== '', 'must not be blank'),
        // Passwords are sent as typed: no trimming, any character the bank allows.
        password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
        ...Live,
      })
      .nullish(),
  })
  .refine(
    (input) =>
      [input.cached, input.refresh, input.credentials].filter((mode) => mode != null).length === 1,
    'needs exactly one of cached, refresh or credentials',
  );

export const AnswerMfaInput = z.object({
  requestId: FlinksId,
  responses: z
    .array(
      z.object({
        prompt: z
          .string()
          .min(1, 'must not be empty')
          .max(2_000, 'must be at most 2000 characters'),
        answers: z
          .array(z.string().max(100_000, 'must be at most 100000 characters'))
          .min(1, 'needs at least one answer')
          .max(50, 'must have at most 50 answers'),
      }),
    )
    .min(1, 'needs at least one response')
    .max(50, 'must have at most 50 responses'),
});

export type AuthorizeCommand = z.input<typeof AuthorizeInput>;
export type AnswerMfaCommand = z.input<typeof AnswerMfaInput>;
