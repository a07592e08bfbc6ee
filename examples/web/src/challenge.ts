import type {
  SecurityChallengeFieldsFragment as Challenge,
  SecurityResponseInput,
} from '../../../src/generated/graphql.ts';
import { h } from './dom.ts';

export interface ChallengeField {
  element: HTMLElement;
  /** The response Flinks expects, read from the submitted form. */
  response(form: FormData): SecurityResponseInput;
}

const choice = (type: 'radio' | 'checkbox', name: string, value: string, label: Node | string) =>
  h(
    'label',
    { class: 'choice' },
    h('input', { type, name, value, required: type === 'radio' }),
    label,
  );

const text = (form: FormData, name: string) => String(form.get(name) ?? '');

/** One challenge drawn the way a person expects it, named `c0`, `c1`, ... inside the form. */
export function challengeField(challenge: Challenge, index: number): ChallengeField {
  const answer = `c${index}-answer`;
  const key = `c${index}-key`;
  const legend = h('legend', {}, challenge.prompt);
  const byPrompt = (answers: string[]) => ({ prompt: challenge.prompt, answers });

  switch (challenge.type) {
    case 'MULTIPLE_CHOICE':
      return {
        element: h(
          'fieldset',
          {},
          legend,
          ...challenge.iterables.map((v) => choice('radio', answer, v, v)),
        ),
        response: (form) => byPrompt([text(form, answer)]),
      };
    case 'MULTIPLE_CHOICE_MULTIPLE_ANSWERS':
      return {
        element: h(
          'fieldset',
          {},
          legend,
          h('p', { class: 'hint' }, 'Select every answer that applies.'),
          ...challenge.iterables.map((v) => choice('checkbox', answer, v, v)),
        ),
        response: (form) => byPrompt(form.getAll(answer).map(String)),
      };
    case 'IMAGE_SELECTION':
      return {
        element: h(
          'fieldset',
          {},
          legend,
          h(
            'div',
            { class: 'image-grid' },
            ...challenge.images.map((image, i) =>
              choice(
                'radio',
                answer,
                image.value,
                h('img', { src: image.dataUrl ?? '', alt: `Image ${i + 1}` }),
              ),
            ),
          ),
        ),
        response: (form) => byPrompt([text(form, answer)]),
      };
    case 'TEXT_OR_CALL':
      // Keyed by the chosen phone number; the code to type comes in the next step.
      return {
        element: h(
          'fieldset',
          {},
          legend,
          ...challenge.iterables.map((phone) => choice('radio', key, phone, phone)),
          h('p', { class: 'hint' }, 'How should we send your code?'),
          choice('radio', answer, 'Text', 'Text me'),
          choice('radio', answer, 'Call', 'Call me'),
        ),
        response: (form) => ({ prompt: text(form, key), answers: [text(form, answer)] }),
      };
    case 'WAIT_UNTIL_EU_ACCEPT':
      return {
        element: h(
          'fieldset',
          { class: 'waiting' },
          legend,
          h('p', {}, 'Waiting for your device… Approve the login there, then continue here.'),
        ),
        response: () => byPrompt([challenge.iterables[0] ?? 'VERIFIED']),
      };
    case 'QUESTION_AND_ANSWER':
    case 'UNKNOWN':
      if (challenge.responseKey === 'CHOSEN_ITERABLE') {
        // Pick a question of `iterables`, then answer it; the response is keyed by the question.
        return {
          element: h(
            'fieldset',
            {},
            legend,
            h(
              'label',
              {},
              'Question',
              h(
                'select',
                { name: key, required: true },
                // Each challenge needs a different question: start each on another one.
                ...challenge.iterables.map((q, i) =>
                  h('option', { selected: i === index % challenge.iterables.length }, q),
                ),
              ),
            ),
            h('label', {}, 'Your answer', h('input', { name: answer, required: true })),
          ),
          response: (form) => ({ prompt: text(form, key), answers: [text(form, answer)] }),
        };
      }
      return {
        element: h(
          'fieldset',
          {},
          legend,
          h(
            'label',
            {},
            'Your answer',
            h('input', { name: answer, required: true, autocomplete: 'off' }),
          ),
        ),
        response: (form) => byPrompt([text(form, answer)]),
      };
  }
}
