/**
 * The side of a benchmark server process that talks to bench/main.ts over IPC: it says where it
 * listens, reports its own CPU time and peak RSS (measured inside the process, so the load
 * generator's work is never counted), and exits on request.
 */

export interface Usage {
  /** process.cpuUsage(): user and system CPU time in microseconds since the process started. */
  cpu: NodeJS.CpuUsage;
  /** Peak resident set size in kilobytes (getrusage's ru_maxrss). */
  maxRssKb: number;
  /** Resident set size now, in bytes. */
  rss: number;
  /** V8 heap in use now, in bytes (after a full GC when asked for with `{ gc: true }`). */
  heapUsed: number;
}

export type Handler = (message: { type: string; [field: string]: unknown }) => unknown;

function usage(gc: boolean): Usage {
  // Only with node --expose-gc: a heap measured after a full collection shows what is retained.
  const collect = (globalThis as { gc?: () => void }).gc;
  if (gc && collect) collect();
  return {
    cpu: process.cpuUsage(),
    maxRssKb: process.resourceUsage().maxRSS,
    rss: process.memoryUsage.rss(),
    heapUsed: process.memoryUsage().heapUsed,
  };
}

/** Announces `url` to the parent and answers its messages; `handle` adds commands of its own. */
export function serve(url: string, close: () => Promise<void>, handle: Handler = () => undefined) {
  process.on('message', (raw) => {
    const message = raw as { id: number; type: string; [field: string]: unknown };
    const reply = async () => {
      if (message.type === 'usage') return usage(message.gc === true);
      if (message.type === 'exit') {
        await close();
        // --cpu-prof writes its profile on a normal exit.
        setImmediate(() => process.exit(0));
        return null;
      }
      return (await handle(message)) ?? null;
    };
    reply().then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
    );
  });
  process.send?.({ id: 0, result: { url } });
}
