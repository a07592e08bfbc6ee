import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let child: ChildProcess;
let graphqlUrl: string;
let output = '';

beforeAll(async () => {
  child = spawn(process.execPath, ['src/main.ts'], {
    env: { ...process.env, PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  graphqlUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /GraphiQL: (\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
});
afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm start', () => {
  it('starts the embedded simulator, says so, and serves GraphiQL over real HTTP', async () => {
    expect(output).toContain('started the embedded Flinks simulator');
    const page = await fetch(graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
  });

  it('answers an authorize over real HTTP', async () => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { authorize(input: { credentials: { institution: "FlinksCapital", username: "greatday_nomfa", password: "Everyday" } }) { __typename } }`,
      }),
    });
    expect(await response.json()).toEqual({
      data: { authorize: { __typename: 'AuthorizeSuccess' } },
    });
  });

  it('exits 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});

/** Runs `npm start`'s module to its exit; resolves with the exit code and what it wrote. */
async function runToExit(env: Record<string, string>) {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr };
}

describe('startup failures', () => {
  it('stop the process at start with one line naming the variable', async () => {
    const { code, stderr } = await runToExit({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Invalid configuration: PORT: must be a whole number');
  });

  it('report every configuration problem of one start at once, one line each', async () => {
    const { code, stderr } = await runToExit({
      NODE_ENV: 'production',
      PORT: 'eighty',
      FLINKS_SECRET_KEY: 'short',
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Invalid configuration: PORT: must be a whole number',
      'Invalid configuration: FLINKS_SECRET_KEY: must be at least 8 characters',
      'Invalid configuration: FLINKS_BASE_URL: required in production (the simulator is for development)',
      'Invalid configuration: AUTH_JWT_SECRET: production needs caller authentication (AUTH_JWT_SECRET or AUTH_JWKS_URL)',
      expect.stringMatching(/^Invalid configuration: DATABASE_URL: required in production, /),
    ]);
  });

  it('a port in use is one line naming PORT and HOST, not a stack', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const { code, stdout, stderr } = await runToExit({
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ENV: 'development',
      });
      expect(code).toBe(1);
      expect(stdout).not.toContain('GraphiQL');
      expect(stderr.trim()).toBe(
        `Cannot listen on 127.0.0.1:${port} (PORT=${port}, HOST=127.0.0.1): the port is in use by another process; set PORT to a free port (PORT=0 picks one).`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
