import { CHALLENGE_KINDS, challengeKind, keyedByIterable } from '../authorize/challenges.ts';
import { type SecurityImage as SecurityImageShape, securityImage } from '../authorize/images.ts';
import type { SecurityChallenge as SecurityChallengeShape } from '../flinks/types.ts';
import { builder } from './builder.ts';

const KIND_DESCRIPTIONS: Record<(typeof CHALLENGE_KINDS)[number], string> = {
  QUESTION_AND_ANSWER:
    'A question to answer with one text. With `iterables`, the user first picks a question from them, and the response is keyed by the picked question.',
  MULTIPLE_CHOICE: 'Exactly one answer, one of `iterables`.',
  MULTIPLE_CHOICE_MULTIPLE_ANSWERS: 'One or more answers, each one of `iterables`.',
  IMAGE_SELECTION: 'Pick one image of `images`; answer with its `value`.',
  TEXT_OR_CALL:
    'Pick a phone number of `iterables`; the response is keyed by that number, with the answer `Text` or `Call`. A code question follows.',
  WAIT_UNTIL_EU_ACCEPT:
    'The user approves the login on a trusted device, then the response (e.g. `VERIFIED`) tells Flinks to go on.',
  UNKNOWN: 'A Type this gateway does not know yet (see `rawType`): answer keyed by the prompt.',
};

export const SecurityChallengeType = builder.enumType('SecurityChallengeType', {
  description: 'The kind of an MFA challenge, from Flinks’ `Type`.',
  values: Object.fromEntries(
    CHALLENGE_KINDS.map((kind) => [kind, { value: kind, description: KIND_DESCRIPTIONS[kind] }]),
  ),
});

const SecurityResponseKey = builder.enumType('SecurityResponseKey', {
  description: 'What a response to a challenge is keyed by, in `SecurityResponseInput.prompt`.',
  values: {
    PROMPT: { description: 'The challenge’s `prompt`, byte for byte.' },
    CHOSEN_ITERABLE: { description: 'The chosen element of `iterables`, byte for byte.' },
  },
});

const SecurityImage = builder.objectRef<SecurityImageShape>('SecurityImage').implement({
  description: 'One image of an IMAGE_SELECTION challenge.',
  fields: (t) => ({
    value: t.exposeString('value', {
      description: 'The base64 string as Flinks sent it: send it back as the answer.',
    }),
    mimeType: t.exposeString('mimeType', {
      nullable: true,
      description: 'Detected from the bytes (`image/png`, `image/jpeg`, ...); null when unknown.',
    }),
    dataUrl: t.exposeString('dataUrl', {
      nullable: true,
      description:
        'A `data:` URL ready for `<img src>`; null when the bytes are not a known image.',
    }),
  }),
});

export const SecurityChallenge = builder
  .objectRef<SecurityChallengeShape>('SecurityChallenge')
  .implement({
    description: 'One multi-factor challenge of an MFA step.',
    fields: (t) => ({
      type: t.field({
        type: SecurityChallengeType,
        description: 'The kind of challenge; UNKNOWN for a Type this gateway does not know yet.',
        resolve: (challenge) => challengeKind(challenge),
      }),
      rawType: t.exposeString('type', { description: 'Flinks’ Type string, verbatim.' }),
      prompt: t.exposeString('prompt', {
        description: 'The question or instruction to show the user.',
      }),
      iterables: t.exposeStringList('iterables', {
        description:
          'The choices Flinks offers (questions, answers, phone numbers, images); empty when none.',
      }),
      responseKey: t.field({
        type: SecurityResponseKey,
        description: 'What to put in `SecurityResponseInput.prompt` when answering this challenge.',
        resolve: (challenge) => (keyedByIterable(challenge) ? 'CHOSEN_ITERABLE' : 'PROMPT'),
      }),
      images: t.field({
        type: [SecurityImage],
        description: 'For IMAGE_SELECTION: each image, ready to render. Empty for other types.',
        resolve: (challenge) =>
          challengeKind(challenge) === 'IMAGE_SELECTION'
            ? challenge.iterables.map(securityImage)
            : [],
      }),
    }),
  });
