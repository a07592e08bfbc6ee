import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Language, renderPrompt } from '../src/simulator/challenges.ts';
import { INSTITUTION, PASSWORD, USERS } from '../src/simulator/users.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
const readme = read('../README.md');
const webReadme = read('../examples/web/README.md');

function usersTable(): Map<string, string> {
  const table = readme.slice(
    readme.indexOf('<!-- simulator-users:start -->'),
    readme.indexOf('<!-- simulator-users:end -->'),
  );
  return new Map(
    [...table.matchAll(/^\| `([^`]+)` \| (.*) \|$/gm)].map((row) => [
      row[1] as string,
      (row[2] as string).replaceAll('\\|', '|'),
    ]),
  );
}

/** Every `"prompt" (answer)` the table states: `(["a", "b"])` is a list, `(… e.g. x)` gives x. */
function statedAnswers(text: string): { prompt: string; answers: string[] }[] {
  return [...text.matchAll(/"([^"]+)" \(([^)]+)\)/g)].map((match) => {
    const stated = match[2] as string;
    const example = /e\.g\. (.+)$/.exec(stated)?.[1];
    const answers = stated.startsWith('[') ? (JSON.parse(stated) as string[]) : [example ?? stated];
    return { prompt: match[1] as string, answers };
  });
}

describe('what the READMEs state about the simulator is what the simulator does', () => {
  it('lists every simulator user, and only those', () => {
    expect([...usersTable().keys()]).toEqual(USERS.map((user) => user.username));
  });

  it('states the password and the institution the simulator takes', () => {
    expect(readme).toContain(`Institution \`${INSTITUTION}\`, every password \`${PASSWORD}\``);
    expect(webReadme).toContain(`password\n\`${PASSWORD}\``);
  });

  const mfaUsers = new Set(USERS.filter((u) => u.flow.kind === 'mfa').map((u) => u.username));
  const stated = [...usersTable()]
    .filter(([username]) => mfaUsers.has(username))
    .flatMap(([username, text]) => statedAnswers(text).map((fact) => ({ username, ...fact })));

  it('finds the answers the users table states', () => {
    expect(stated.length).toBeGreaterThanOrEqual(13);
  });

  it.each(stated.map((fact) => [fact.username, fact.prompt, fact.answers] as const))(
    '%s: "%s" takes %j',
    (username, prompt, answers) => {
      const user = USERS.find((u) => u.username === username);
      expect(user?.flow.kind).toBe('mfa');
      if (user?.flow.kind !== 'mfa') return;
      const languages: Language[] = [user.flow.language ?? 'en', 'fr'];
      const challenge = user.flow.rounds
        .flat()
        .find((spec) => languages.some((language) => renderPrompt(spec, language) === prompt));
      expect(challenge, `no challenge "${prompt}"`).toBeDefined();
      expect(challenge?.accepts(answers)).toBe(true);
    },
  );

  it('names only simulator users in the web example’s README', () => {
    const named = [...webReadme.matchAll(/`((?:mfa|test|fault)_\w+|Greatday|greatday_nomfa)`/g)];
    expect(named.length).toBeGreaterThan(0);
    for (const [, username] of named) {
      expect(USERS.map((user) => user.username)).toContain(username);
    }
  });

  it('states the trusted-device answer and iterables as the simulator sends them', () => {
    const device = USERS.find((user) => user.username === 'mfa_trusted_device');
    const spec = device?.flow.kind === 'mfa' ? device.flow.rounds[0]?.[0] : undefined;
    expect(spec?.type).toBe('WaitUntilEUAccept');
    expect(spec?.iterables ?? []).toEqual([]);
    const row = webReadme.split('\n').find((line) => line.startsWith('| `WAIT_UNTIL_EU_ACCEPT`'));
    expect(row).toContain('`VERIFIED` (the simulator sends no `iterables`');
    expect(spec?.accepts(['VERIFIED'])).toBe(true);
  });
});
