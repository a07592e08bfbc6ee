import { type InputIssue, InvalidInputError } from '../errors.ts';
import type { SecurityChallenge } from '../flinks/types.ts';
import { challengeKind, keyedByIterable } from './challenges.ts';
import { securityImage } from './images.ts';

export interface SecurityResponse {
  prompt: string;
  answers: string[];
}

const TEXT_OR_CALL = ['Text', 'Call'];

/**
 * Checks a round's answers against the challenges Flinks asked, before any call to Flinks, and
 * returns Flinks' `SecurityResponses`. Keys are kept byte for byte: Flinks answers
 * UNKNOWN_CHALLENGE_KEY to a key whose case differs from the prompt (FACTS.md).
 */
export function securityResponses(
  challenges: SecurityChallenge[],
  responses: SecurityResponse[],
): Record<string, string[]> {
  const { issues, result } = checkResponses(challenges, responses);
  if (issues.length > 0) throw new InvalidInputError(issues);
  return result;
}

/**
 * The input's own problems (`issues`) and those of the answers against the open step, less the
 * answers' problems at a path the input's already cover.
 */
export function withAnswerIssues(
  issues: InputIssue[],
  challenges: SecurityChallenge[],
  responses: SecurityResponse[],
): InputIssue[] {
  const related = (a: string[], b: string[]) =>
    a.length > 2 &&
    b.length > 2 &&
    a.slice(0, b.length).join('.') === b.slice(0, a.length).join('.');
  const answers = checkResponses(challenges, responses).issues.filter(
    (answer) => !issues.some((issue) => related(issue.path, answer.path)),
  );
  return [...issues, ...answers];
}

/**
 * Every problem of a round's answers, each saying what the step expects and what to send instead,
 * and the `SecurityResponses` of the answers that passed.
 */
export function checkResponses(
  challenges: SecurityChallenge[],
  responses: SecurityResponse[],
): { issues: InputIssue[]; result: Record<string, string[]> } {
  const issues: InputIssue[] = [];
  const at = (index: number, ...rest: string[]) => ['input', 'responses', String(index), ...rest];

  const firstWithKey = (response: SecurityResponse) =>
    responses.findIndex((other) => other.prompt === response.prompt);
  const candidates = responses.map((response, index) =>
    firstWithKey(response) !== index
      ? []
      : challenges.flatMap((challenge, index) =>
          keysOf(challenge).includes(response.prompt) ? [index] : [],
        ),
  );
  const challengeOf = matchResponses(candidates, challenges.length);

  responses.forEach((response, index) => {
    const first = firstWithKey(response);
    if (first !== index) {
      const picked = challenges.some(
        (c) => keyedByIterable(c) && c.iterables.includes(response.prompt),
      );
      issues.push({
        path: at(index, 'prompt'),
        message: picked
          ? `is the choice responses[${first}] already picked: pick a different one for each challenge`
          : `is the same key as responses[${first}]: send each key once, with all its answers in one answers list`,
      });
    } else if (candidates[index]?.length === 0) {
      issues.push({ path: at(index, 'prompt'), message: unknownKey(challenges, response.prompt) });
    } else if (challengeOf[index] === undefined) {
      issues.push({
        path: at(index, 'prompt'),
        message:
          'answers a challenge that other responses already answer: send one response per challenge',
      });
    }
  });
  const picked = new Set(responses.map((response) => response.prompt));
  challenges.forEach((challenge, index) => {
    if (challengeOf.includes(index)) return;
    const free = challenge.iterables.filter((choice) => !picked.has(choice));
    issues.push({
      path: ['input', 'responses'],
      message: keyedByIterable(challenge)
        ? `lack an answer for "${challenge.prompt}": add a response whose prompt is ${choiceName(challenge)} not picked yet, one of ${quoted(free)}`
        : `lack an answer for "${challenge.prompt}": add a response with that prompt`,
    });
  });

  const result = new Map<string, string[]>();
  responses.forEach((response, index) => {
    const challenge = challenges[challengeOf[index] ?? -1];
    if (!challenge) return;
    const checked = checkAnswers(challenge, response.answers);
    if (typeof checked === 'string') issues.push({ path: at(index, 'answers'), message: checked });
    else result.set(response.prompt, checked);
  });

  // fromEntries defines own properties, so a prompt such as "__proto__" stays an ordinary key.
  return { issues, result: Object.fromEntries(result) };
}

/** The keys a challenge accepts: its prompt, or each of its iterables when keyed by a choice. */
function keysOf(challenge: SecurityChallenge): string[] {
  return keyedByIterable(challenge) ? challenge.iterables : [challenge.prompt];
}

function choiceName(challenge: SecurityChallenge): string {
  return challengeKind(challenge) === 'TEXT_OR_CALL'
    ? 'the phone number chosen'
    : 'the question picked';
}

const MAX_LISTED = 12;

/** `"a", "b" or "c"`: values the step offered (never a value the caller sent). */
function quoted(values: string[]): string {
  const shown = values.slice(0, MAX_LISTED).map((value) => JSON.stringify(value));
  const more = values.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  if (shown.length < 2) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

const loose = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** What to send instead of a key no challenge of the step accepts. */
function unknownKey(challenges: SecurityChallenge[], key: string): string {
  const byChoice = challenges.find((c) => keyedByIterable(c) && c.prompt === key);
  if (byChoice) {
    return `is the prompt of a challenge keyed by a choice (responseKey: CHOSEN_ITERABLE): send ${choiceName(byChoice)} as prompt instead, one of ${quoted(byChoice.iterables)}`;
  }
  const near = challenges.flatMap(keysOf).find((k) => loose(k) === loose(key));
  if (near !== undefined) {
    return `must match the key byte for byte (case, spaces, punctuation): send ${JSON.stringify(near)}`;
  }
  const expected = challenges.map((c) =>
    keyedByIterable(c)
      ? `for "${c.prompt}", ${choiceName(c)}: ${quoted(c.iterables)}`
      : JSON.stringify(c.prompt),
  );
  return `is not a key of this step: send ${expected.join('; ')}`;
}

/** The answers to send for one challenge, or what is wrong with them and what to send. */
function checkAnswers(challenge: SecurityChallenge, answers: string[]): string[] | string {
  const kind = challengeKind(challenge);
  const one = answers.length === 1 ? answers[0] : undefined;
  const offered = (answer: string) => challenge.iterables.includes(answer);
  const got = (valid: boolean) =>
    valid ? 'an answer is not one of them' : `got ${answers.length} answers`;
  switch (kind) {
    case 'MULTIPLE_CHOICE':
      if (one === undefined || !offered(one)) {
        return `needs exactly one answer, one of its choices byte for byte: ${quoted(challenge.iterables)} (${got(one !== undefined)})`;
      }
      return answers;
    case 'MULTIPLE_CHOICE_MULTIPLE_ANSWERS':
      if (answers.length === 0 || !answers.every(offered)) {
        return `needs one or more answers, each one of its choices byte for byte: ${quoted(challenge.iterables)} (${got(answers.length > 0)})`;
      }
      if (new Set(answers).size !== answers.length) {
        return 'lists the same choice twice: send each choice once';
      }
      return answers;
    case 'IMAGE_SELECTION': {
      // The image's data URL, as the gateway offers it, is accepted in place of the raw iterable.
      const image =
        one === undefined
          ? undefined
          : challenge.iterables.find((it) => it === one || securityImage(it).dataUrl === one);
      return image === undefined
        ? `needs exactly one answer: the images[].value (or dataUrl) of one of its ${challenge.iterables.length} images (${one === undefined ? `got ${answers.length} answers` : 'the answer is none of them'})`
        : [image];
    }
    case 'TEXT_OR_CALL': {
      const method = TEXT_OR_CALL.find((m) => m.toLowerCase() === one?.trim().toLowerCase());
      return method
        ? [method]
        : 'needs exactly one answer, how the code is sent: "Text" (a text message) or "Call" (a phone call)';
    }
    case 'QUESTION_AND_ANSWER':
      if (one === undefined) {
        return `needs exactly one answer (got ${answers.length}): send answers: ["the answer"]`;
      }
      if (one.trim() === '') return 'needs an answer that is not blank';
      return answers;
    case 'WAIT_UNTIL_EU_ACCEPT':
      if (one === undefined || one.trim() === '') {
        return `needs exactly one answer once the user approved on their device, e.g. ${JSON.stringify(challenge.iterables[0] ?? 'VERIFIED')}`;
      }
      return answers;
    case 'UNKNOWN':
      if (answers.length === 0 || answers.some((answer) => answer.trim() === '')) {
        return 'needs one or more answers, none blank';
      }
      return answers;
  }
}

/**
 * Pairs each response with a distinct challenge it can answer (a bipartite matching by augmenting
 * paths): three "Personal Verification Question" challenges share one list of questions, so a
 * picked question fits any of them. Returns, per response, its challenge index or undefined.
 */
function matchResponses(candidates: number[][], challengeCount: number): (number | undefined)[] {
  const responseOf: (number | undefined)[] = new Array(challengeCount).fill(undefined);
  const assign = (response: number, seen: Set<number>): boolean => {
    for (const challenge of candidates[response] ?? []) {
      if (seen.has(challenge)) continue;
      seen.add(challenge);
      const holder = responseOf[challenge];
      if (holder === undefined || assign(holder, seen)) {
        responseOf[challenge] = response;
        return true;
      }
    }
    return false;
  };
  for (let response = 0; response < candidates.length; response++) assign(response, new Set());
  const challengeOf: (number | undefined)[] = new Array(candidates.length).fill(undefined);
  responseOf.forEach((response, challenge) => {
    if (response !== undefined) challengeOf[response] = challenge;
  });
  return challengeOf;
}
