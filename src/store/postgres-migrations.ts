import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';

const MIGRATIONS = new URL('./migrations/', import.meta.url);
/** Any fixed 64-bit number: the advisory lock every replica takes to migrate. */
const MIGRATION_LOCK = 7_346_021_118;
/**
 * Applies the versioned SQL files of `migrations/` that the database has not seen, in order, in
 * one transaction under an advisory lock: when two replicas start at once, the second waits for
 * the first and then finds nothing to do. Returns the versions it applied.
 */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const files = (await readdir(MIGRATIONS))
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name))
    .sort();
  const client = await pool.connect();
  const applied: number[] = [];
  // Another replica may hold the lock while it migrates: wait for it longer than a statement.
  const run = (text: string, values: unknown[] = []) =>
    client.query({ text, values, query_timeout: 125_000 } as pg.QueryConfig);
  try {
    await run('BEGIN');
    await run("SET LOCAL statement_timeout = '120s'");
    await run('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await run(
      `CREATE TABLE IF NOT EXISTS gateway_schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await run('SELECT version FROM gateway_schema_migrations');
    const done = new Set(rows.map((row: { version: number }) => row.version));
    for (const name of files) {
      const version = Number(name.slice(0, 4));
      if (done.has(version)) continue;
      await run(await readFile(new URL(name, MIGRATIONS), 'utf8'));
      await run('INSERT INTO gateway_schema_migrations (version, name) VALUES ($1, $2)', [
        version,
        name,
      ]);
      applied.push(version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
