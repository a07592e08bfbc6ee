/**
 * Writes schema.graphql from the Pothos schema; with --check, fails when the committed file differs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.ts';

const path = new URL('../schema.graphql', import.meta.url);
const printed = `${printSchema(schema).trim()}\n`;

if (process.argv.includes('--check')) {
  const committed = await readFile(path, 'utf8').catch(() => '');
  if (committed !== printed) {
    console.error('schema.graphql is out of date: run `npm run generate` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql is up to date.');
} else {
  await writeFile(path, printed);
  console.log('wrote schema.graphql');
}
