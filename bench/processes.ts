/** Benchmark server processes: started as `npm start` runs the gateway (Node's type stripping), pinned to a CPU, driven over IPC. */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Usage } from './child.ts';

export interface ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  call<T = unknown>(type: string, fields?: Record<string, unknown>): Promise<T>;
  usage(): Promise<Usage>;
  /** Asks the process to close and exit; kills it if it has not after 10 s. */
  exit(): Promise<void>;
}

/**
 * On two cores or more: the measured server gets CPU 1 to itself, and this process (the load
 * generator) with the upstream simulator share CPU 0, so that neither steals the measured
 * process's time. Every thread is pinned (`taskset -a`), V8's GC helpers included.
 */
export const PINNING = availableParallelism() >= 2 && hasTaskset();

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function pin(pid: number, cpu: number): void {
  if (PINNING)
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
}

export async function startServer(
  name: string,
  script: string,
  options: { env?: Record<string, string>; cpu?: number; execArgv?: string[] } = {},
): Promise<ServerProcess> {
  const child: ChildProcess = fork(new URL(script, import.meta.url), [], {
    execArgv: options.execArgv ?? [],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      for (const { reject } of waiting.values()) reject(new Error(`${name} exited`));
      resolve();
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    waiting.set(0, { resolve: (value) => resolve((value as { url: string }).url), reject });
  });
  child.on('message', (raw) => {
    const message = raw as { id: number; result?: unknown; error?: string };
    const entry = waiting.get(message.id);
    if (entry === undefined) return;
    waiting.delete(message.id);
    if (message.error === undefined) entry.resolve(message.result);
    else entry.reject(new Error(`${name}: ${message.error}`));
  });
  const url = await ready;
  const pid = child.pid ?? 0;
  if (options.cpu !== undefined) pin(pid, options.cpu);

  function call<T>(type: string, fields: Record<string, unknown> = {}): Promise<T> {
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, type, ...fields });
    });
  }

  return {
    name,
    url,
    pid,
    call,
    usage: () => call<Usage>('usage'),
    async exit() {
      if (exited) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await call('exit').catch(() => undefined);
      await gone;
      clearTimeout(timer);
    },
  };
}
