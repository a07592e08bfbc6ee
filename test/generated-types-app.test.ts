import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../', import.meta.url).pathname;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('## Use the generated types from your app'),
  readme.indexOf('\n## ', readme.indexOf('## Use the generated types from your app') + 3),
);
const block = (lang: string) => {
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(section);
  if (!match?.[1]) throw new Error(`the README section has no ${lang} block`);
  return match[1];
};

describe('the README’s "use the generated types from your app", followed in another folder', () => {
  let app: string;
  afterAll(async () => {
    if (app) await rm(app, { recursive: true, force: true });
  });

  it('type-checks the README’s app against the generated file it says to copy', async () => {
    app = await mkdtemp(join(tmpdir(), 'gateway-client-app-'));
    expect(app.startsWith(ROOT)).toBe(false);
    const commands = block('sh').trim().split('\n');

    // `npm install a b`: the packages, linked from this checkout instead of downloaded.
    const packages = commands
      .filter((line) => line.startsWith('npm install'))
      .flatMap((line) => line.split(/\s+/).slice(2))
      .filter((word) => !word.startsWith('-'));
    expect(packages).toEqual(['graphql', '@graphql-typed-document-node/core', 'typescript']);
    for (const name of packages) {
      await mkdir(dirname(join(app, 'node_modules', name)), { recursive: true });
      await symlink(join(ROOT, 'node_modules', name), join(app, 'node_modules', name), 'dir');
    }
    // `mkdir -p DIR && cp ../flinks-gateway/FILE DIR/`
    const copy = /^mkdir -p (\S+) && cp \.\.\/flinks-gateway\/(\S+) (\S+)$/.exec(
      commands.find((line) => line.startsWith('mkdir')) ?? '',
    );
    expect(copy).not.toBeNull();
    const [, dir, file, to] = copy as unknown as [string, string, string, string];
    await mkdir(join(app, dir), { recursive: true });
    await cp(join(ROOT, file), join(app, to, file.split('/').at(-1) as string));

    await writeFile(join(app, 'tsconfig.json'), block('json'));
    const code = block('ts');
    const path = /^\/\/ (\S+)\n/.exec(code)?.[1];
    expect(path).toBe('src/accounts.ts');
    await writeFile(join(app, path as string), code);

    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', app], {
      cwd: app,
    }).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout: string }) => ({ ok: false, output: error.stdout }),
    );
    expect(result).toEqual({ ok: true, output: '' });
  }, 60_000);
});
