/**
 * Writes what is generated from the code: schema.graphql and the README's tables of simulator
 * users and FlinksCodes. With --check, changes nothing and fails when a committed file differs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { errorFromFlinksCode, KNOWN_FLINKS_CODES } from '../src/flinks/errors.ts';
import { schema } from '../src/schema/index.ts';
import { SIMULATOR_LOGIN_IDS, SIMULATOR_USERS } from '../src/simulator/index.ts';

const root = new URL('../', import.meta.url);
const check = process.argv.includes('--check');

function between(text: string, marker: string, content: string): string {
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${marker} markers`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

const cell = (text: string) => text.replaceAll('|', '\\|');

function readmeTables(readme: string): string {
  const users = [
    '| username | what it triggers |',
    '| --- | --- |',
    ...SIMULATOR_USERS.map((user) => `| \`${user.username}\` | ${cell(user.triggers)} |`),
  ].join('\n');
  const loginIds = [
    '| LoginId | login of | cached / refresh |',
    '| --- | --- | --- |',
    ...SIMULATOR_LOGIN_IDS.map(
      (login) => `| \`${login.loginId}\` | \`${login.username}\` | ${cell(login.triggers)} |`,
    ),
  ].join('\n');
  const codes = [
    '| FlinksCode | GraphQL type | retryable |',
    '| --- | --- | --- |',
    ...KNOWN_FLINKS_CODES.map((flinksCode) => {
      const error = errorFromFlinksCode({ flinksCode, requestId: null, retryAfterSeconds: null });
      return `| \`${flinksCode}\` | \`${error.constructor.name}\` | ${error.retryable ? 'yes' : 'no'} |`;
    }),
    '| any other code | `UpstreamError` | no |',
  ].join('\n');
  return between(
    between(between(readme, 'simulator-users', users), 'simulator-login-ids', loginIds),
    'flinks-codes',
    codes,
  );
}

const outputs: [string, (current: string) => string][] = [
  ['schema.graphql', () => `${printSchema(schema).trim()}\n`],
  ['README.md', readmeTables],
];

let stale = false;
for (const [name, generate] of outputs) {
  const path = new URL(name, root);
  const current = await readFile(path, 'utf8').catch(() => '');
  const next = generate(current);
  if (next === current) continue;
  if (check) {
    console.error(`${name} is out of date: run \`npm run generate\` and commit the result.`);
    stale = true;
  } else {
    await writeFile(path, next);
    console.log(`wrote ${name}`);
  }
}
if (stale) process.exit(1);
if (check) console.log('generated files are up to date.');
