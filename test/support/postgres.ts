import { execFile as execFileCallback } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFile = promisify(execFileCallback);

/** The OS user the test clusters run as when the tests run as root (PostgreSQL refuses root). */
export const POSTGRES_OS_USER = 'gateway-pg';
const DB_USER = 'gateway';

export interface TestPostgres {
  /** `postgres://gateway:<password>@127.0.0.1:<port>/<database>`. */
  url(database?: string): string;
  /** The database user's password: it must appear in no table, log line or response. */
  password: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop`: `fast` disconnects clients cleanly, `immediate` is a crash (recovery at start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>;
  /** Stops the cluster and deletes its files. */
  close(): Promise<void>;
  /** CPU time (user + system, µs) the server's processes have used so far, exited ones included. */
  cpuUs(): Promise<number>;
  /**
   * Freezes (SIGSTOP) or thaws (SIGCONT) the server and every process it forked: a database that
   * still accepts TCP connections but answers nothing, as a hung host does.
   */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Pins the server and every process it forks to this CPU (taskset), as benchmarks want. */
  cpu?: number;
}

/** The directory of Debian's PostgreSQL server binaries, newest version first. */
export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BINDIR;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  throw new Error(
    'PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run `npm run setup:postgres` (apt-get install postgresql) or set PG_BINDIR',
  );
}

/**
 * Starts a private PostgreSQL cluster for one test file: initdb into a temporary directory, a
 * free loopback port, the unix socket in that directory, password authentication over TCP. As
 * root it runs as the dedicated user `gateway-pg`, created when missing. Throws, with
 * PostgreSQL's own output, when the cluster cannot start: tests that need it fail, never skip.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await ensureOsUser() : null;
  const dir = await mkdtemp(join(tmpdir(), 'gateway-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const password = randomBytes(18).toString('base64url');
  if (owner) {
    await chown(dir, owner.uid, owner.gid);
    await chmod(dir, 0o700);
  }
  const run = async (command: string, args: string[]) => {
    const pinned =
      options.cpu === undefined
        ? [join(bin, command)]
        : ['taskset', '-c', String(options.cpu), join(bin, command)];
    const [file, argv] = owner
      ? ['runuser', ['-u', POSTGRES_OS_USER, '--', ...pinned, ...args]]
      : [pinned[0] as string, [...pinned.slice(1), ...args]];
    try {
      await execFile(file, argv, { cwd: dir, timeout: 60_000 });
    } catch (error) {
      const logText = await readFile(log, 'utf8').catch(() => '');
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(
        `${command} ${args[args.length - 1]} failed: ${String(stderr ?? '')}${String(stdout ?? '')}\n${logText}`,
        { cause: error },
      );
    }
  };

  const pwfile = join(dir, 'pwfile');
  await writeFile(pwfile, password, { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);
  await run('initdb', [
    '-D',
    data,
    '-U',
    DB_USER,
    `--pwfile=${pwfile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  await rm(pwfile);

  let port = 0;
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      log,
      '-w',
      '-t',
      '60',
      '-o',
      `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=200`,
      'start',
    ]);
  // A free port now may be taken by the time PostgreSQL binds it: try a few.
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt === 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const url = (database = 'postgres') =>
    `postgres://${DB_USER}:${password}@127.0.0.1:${port}/${database}`;
  const postmasterPid = async () =>
    Number((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  /** The postmaster and its children. */
  const processes = async () => {
    const postmaster = await postmasterPid();
    const pids = [postmaster];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    }
    return pids;
  };
  let running = true;
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    await run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    running = false;
  };
  return {
    url,
    password,
    port,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async close() {
      await stop('fast').catch(() => stop('immediate'));
      await rm(dir, { recursive: true, force: true });
    },
    async freeze() {
      for (const pid of await processes()) signal(pid, 'SIGSTOP');
    },
    async thaw() {
      for (const pid of await processes()) signal(pid, 'SIGCONT');
    },
    async cpuUs() {
      const postmaster = await postmasterPid();
      const ticksToUs = 1_000_000 / 100;
      let ticks = 0;
      for (const entry of await readdir('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
        // Fields after the command name, which may hold spaces: state is field 3.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const pid = Number(entry);
        const ppid = Number(fields[1]);
        if (pid !== postmaster && ppid !== postmaster) continue;
        ticks += Number(fields[11]) + Number(fields[12]);
        // Exited backends' time is added to the postmaster's children's time when it reaps them.
        if (pid === postmaster) ticks += Number(fields[13]) + Number(fields[14]);
      }
      return ticks * ticksToUs;
    },
  };
}

/** Every row of every table of the database, as JSON text: what a "nothing secret at rest" check reads. */
export async function dumpTables(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const dump: Record<string, string> = {};
    for (const { table_name } of tables) {
      const { rows } = await client.query(`SELECT * FROM ${pg.escapeIdentifier(table_name)}`);
      dump[table_name] = JSON.stringify(rows);
    }
    return dump;
  } finally {
    await client.end();
  }
}

async function ensureOsUser(): Promise<{ uid: number; gid: number }> {
  const lookup = async () => {
    const uid = await execFile('id', ['-u', POSTGRES_OS_USER]);
    const gid = await execFile('id', ['-g', POSTGRES_OS_USER]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    // Missing: create it. Another test file may be doing the same right now; then its user is ours.
    await execFile('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      POSTGRES_OS_USER,
    ]).catch(() => {});
    return lookup();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Sends `name` to `pid`; a process that exited since it was listed (a backend ending) is skipped. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ESRCH') throw error;
  }
}
