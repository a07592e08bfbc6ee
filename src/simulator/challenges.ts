export type Language = 'en' | 'fr';

type Answers = readonly string[];

export interface ChallengeSpec {
  readonly type: string;
  readonly prompt: string | Readonly<Record<Language, string>>;
  readonly iterables?: readonly string[];
  /**
   * The response is keyed by the chosen iterable instead of the prompt: a question picked from a
   * reset list, a TextOrCall phone number (reference: authorize-legacy-live-mode-and-mfa-flows.txt).
   */
  readonly keyedByChoice?: boolean;
  readonly accepts: (answers: Answers) => boolean;
}

export type Round = readonly ChallengeSpec[];

export interface WireChallenge {
  Type: string;
  Prompt: string;
  Iterables?: string[];
}

export type RoundVerdict = 'accepted' | 'unknown-key' | 'incomplete' | 'wrong';

function only(answers: Answers): string | undefined {
  return answers.length === 1 ? answers[0] : undefined;
}

function loose(text: string): string {
  return text.trim().toLowerCase();
}

/** One answer, compared trimmed and case-insensitively, as Flinks Capital does. */
export function answeredWith(expected: string): (answers: Answers) => boolean {
  return (answers) => {
    const answer = only(answers);
    return answer !== undefined && loose(answer) === loose(expected);
  };
}

export function answeredMatching(pattern: RegExp): (answers: Answers) => boolean {
  return (answers) => {
    const answer = only(answers);
    return answer !== undefined && pattern.test(answer.trim());
  };
}

/** Exactly these choices, byte for byte, in any order. */
export function chose(...expected: string[]): (answers: Answers) => boolean {
  return (answers) =>
    answers.length === expected.length &&
    new Set(answers).size === answers.length &&
    expected.every((choice) => answers.includes(choice));
}

export function question(
  prompt: string | Readonly<Record<Language, string>>,
  answer: string,
): ChallengeSpec {
  return { type: 'QuestionAndAnswer', prompt, accepts: answeredWith(answer) };
}

export const CITY_QUESTION = question(
  { en: 'What city were you born in?', fr: 'Dans quelle ville êtes-vous né?' },
  'Montreal',
);

export const COUNTRY_QUESTION = question(
  { en: 'What is the best country on earth?', fr: 'Quel est le meilleur pays au monde?' },
  'Canada',
);

export const SHAPE_QUESTION = question(
  { en: 'What shape do people like most?', fr: 'Quelle forme les gens préfèrent-ils le plus?' },
  'Triangle',
);

export function renderPrompt(spec: ChallengeSpec, language: Language): string {
  return typeof spec.prompt === 'string' ? spec.prompt : spec.prompt[language];
}

export function renderRound(round: Round, language: Language): WireChallenge[] {
  return round.map((spec) => ({
    Type: spec.type,
    Prompt: renderPrompt(spec, language),
    ...(spec.iterables ? { Iterables: [...spec.iterables] } : {}),
  }));
}

/**
 * Judges one round of SecurityResponses. Keys are compared byte for byte; an empty answer list
 * counts as no answer.
 */
export function judgeRound(
  round: Round,
  language: Language,
  responses: ReadonlyMap<string, Answers>,
): RoundVerdict {
  const byPrompt = new Map<string, ChallengeSpec>();
  const byChoice: ChallengeSpec[] = [];
  for (const spec of round) {
    if (spec.keyedByChoice) byChoice.push(spec);
    else byPrompt.set(renderPrompt(spec, language), spec);
  }
  const isKey = (key: string) =>
    byPrompt.has(key) || byChoice.some((spec) => spec.iterables?.includes(key));
  if (![...responses.keys()].every(isKey)) return 'unknown-key';

  const unmatched = new Map([...responses].filter(([, answers]) => answers.length > 0));
  const matched: [ChallengeSpec, Answers][] = [];
  for (const [prompt, spec] of byPrompt) {
    const answers = unmatched.get(prompt);
    if (answers === undefined) return 'incomplete';
    unmatched.delete(prompt);
    matched.push([spec, answers]);
  }
  for (const spec of byChoice) {
    const choice = [...unmatched].find(([key]) => spec.iterables?.includes(key));
    if (choice === undefined) return 'incomplete';
    unmatched.delete(choice[0]);
    matched.push([spec, choice[1]]);
  }
  if (unmatched.size > 0) return 'wrong';
  return matched.every(([spec, answers]) => spec.accepts(answers)) ? 'accepted' : 'wrong';
}
