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
  const issues: InputIssue[] = [];
  const at = (index: number, ...rest: string[]) => ['input', 'responses', String(index), ...rest];

  const isRepeat = (response: SecurityResponse, index: number) =>
    responses.findIndex((other) => other.prompt === response.prompt) !== index;
  const candidates = responses.map((response, index) =>
    isRepeat(response, index)
      ? []
      : challenges.flatMap((challenge, index) =>
          (keyedByIterable(challenge) ? challenge.iterables : [challenge.prompt]).includes(
            response.prompt,
          )
            ? [index]
            : [],
        ),
  );
  const challengeOf = matchResponses(candidates, challenges.length);

  responses.forEach((response, index) => {
    if (isRepeat(response, index)) {
      issues.push({ path: at(index, 'prompt'), message: 'appears twice; each key is sent once' });
    } else if (candidates[index]?.length === 0) {
      const near = challenges.find((c) => c.prompt.toLowerCase() === response.prompt.toLowerCase());
      issues.push({
        path: at(index, 'prompt'),
        message: near
          ? `is not a prompt of this step; prompts must match byte for byte: "${near.prompt}"`
          : 'is not a prompt of this step, nor one of the choices it offers',
      });
    } else if (challengeOf[index] === undefined) {
      issues.push({
        path: at(index, 'prompt'),
        message: 'answers a challenge that is already answered',
      });
    }
  });
  challenges.forEach((challenge, index) => {
    if (!challengeOf.includes(index)) {
      issues.push({ path: ['input', 'responses'], message: `no answer for "${challenge.prompt}"` });
    }
  });

  const result = new Map<string, string[]>();
  responses.forEach((response, index) => {
    const challenge = challenges[challengeOf[index] ?? -1];
    if (!challenge) return;
    const checked = checkAnswers(challenge, response.answers);
    if (typeof checked === 'string') issues.push({ path: at(index, 'answers'), message: checked });
    else result.set(response.prompt, checked);
  });

  if (issues.length > 0) throw new InvalidInputError(issues);
  // fromEntries defines own properties, so a prompt such as "__proto__" stays an ordinary key.
  return Object.fromEntries(result);
}

/** The answers to send for one challenge, or what is wrong with them. */
function checkAnswers(challenge: SecurityChallenge, answers: string[]): string[] | string {
  const kind = challengeKind(challenge);
  const one = answers.length === 1 ? answers[0] : undefined;
  const offered = (answer: string) => challenge.iterables.includes(answer);
  switch (kind) {
    case 'MULTIPLE_CHOICE':
      if (one === undefined || !offered(one))
        return 'needs exactly one answer, one of the iterables';
      return answers;
    case 'MULTIPLE_CHOICE_MULTIPLE_ANSWERS':
      if (answers.length === 0 || !answers.every(offered)) {
        return 'needs one or more answers, each one of the iterables';
      }
      if (new Set(answers).size !== answers.length) return 'lists the same answer twice';
      return answers;
    case 'IMAGE_SELECTION': {
      // The image's data URL, as the gateway offers it, is accepted in place of the raw iterable.
      const image =
        one === undefined
          ? undefined
          : challenge.iterables.find((it) => it === one || securityImage(it).dataUrl === one);
      return image === undefined ? 'needs exactly one answer, one of the images' : [image];
    }
    case 'TEXT_OR_CALL': {
      const method = TEXT_OR_CALL.find((m) => m.toLowerCase() === one?.trim().toLowerCase());
      return method ? [method] : 'needs exactly one answer: "Text" or "Call"';
    }
    case 'QUESTION_AND_ANSWER':
    case 'WAIT_UNTIL_EU_ACCEPT':
      if (one === undefined || one.trim() === '') return 'needs exactly one answer, not blank';
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
