/** A JSON object of a request body, as Flinks reads its fields. */
export type Body = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(body: Body, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

export function readMostRecentCached(value: unknown): boolean | 'invalid' {
  if (value === undefined || value === null || value === false) return false;
  if (value === true) return true;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  return 'invalid';
}

export function readSecurityResponses(value: Body): Map<string, string[]> | undefined {
  const responses = new Map<string, string[]>();
  for (const [key, answers] of Object.entries(value)) {
    if (!Array.isArray(answers) || !answers.every((answer) => typeof answer === 'string')) {
      return undefined;
    }
    responses.set(key, answers);
  }
  return responses;
}
