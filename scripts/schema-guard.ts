/**
 * The breaking-change guard. Compares schema.graphql with schema/released.graphql, the schema of
 * the last release, and fails on a breaking change that CHANGELOG.md's "Unreleased" section does
 * not acknowledge with a line `- BREAKING: \`<path>\` ...` (the path graphql-inspector reports,
 * e.g. `MfaRequired.requestId`). With --release, makes schema.graphql the released schema.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

export interface SchemaReview {
  /** Breaking changes with no acknowledgement: the guard fails on any. */
  unacknowledged: Change[];
  acknowledged: Change[];
  /** Dangerous and safe changes, for the changelog. */
  others: Change[];
}

/** The `## Unreleased` section of the changelog, up to the next `## ` heading. */
export function unreleasedSection(changelog: string): string {
  const start = changelog.search(/^## Unreleased\s*$/m);
  if (start < 0) return '';
  const rest = changelog.slice(start + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

export async function reviewSchemaChanges(
  released: string,
  current: string,
  changelog: string,
): Promise<SchemaReview> {
  const changes = await diff(buildSchema(released), buildSchema(current));
  const acknowledgements = unreleasedSection(changelog)
    .split('\n')
    .filter((line) => /^\s*[-*] BREAKING\b/.test(line));
  const isAcknowledged = (change: Change) =>
    change.path !== undefined &&
    acknowledgements.some((line) => line.includes(`\`${change.path}\``));
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  return {
    unacknowledged: breaking.filter((change) => !isAcknowledged(change)),
    acknowledged: breaking.filter(isAcknowledged),
    others: changes.filter((c) => c.criticality.level !== CriticalityLevel.Breaking),
  };
}

async function main(): Promise<void> {
  const root = new URL('../', import.meta.url);
  const releasedPath = new URL('schema/released.graphql', root);
  if (process.argv.includes('--release')) {
    await copyFile(new URL('schema.graphql', root), releasedPath);
    console.log('schema/released.graphql is now schema.graphql: move the Unreleased entries of');
    console.log('CHANGELOG.md under the new version.');
    return;
  }
  const [released, current, changelog] = await Promise.all(
    [releasedPath, new URL('schema.graphql', root), new URL('CHANGELOG.md', root)].map((url) =>
      readFile(url, 'utf8'),
    ),
  );
  const review = await reviewSchemaChanges(released ?? '', current ?? '', changelog ?? '');
  for (const change of review.acknowledged) console.log(`acknowledged breaking: ${change.message}`);
  for (const change of review.others) {
    if (change.criticality.level === CriticalityLevel.Dangerous) {
      console.log(`dangerous: ${change.message}`);
    }
  }
  if (review.unacknowledged.length > 0) {
    console.error('Breaking schema changes since the last release (schema/released.graphql):');
    for (const change of review.unacknowledged) console.error(`  ${change.message}`);
    console.error('Acknowledge each in CHANGELOG.md under "## Unreleased", e.g.:');
    for (const change of review.unacknowledged) {
      console.error(
        `- BREAKING: \`${change.path ?? '?'}\`: ${change.message} <why, what clients do>`,
      );
    }
    process.exit(1);
  }
  console.log(
    `schema guard: no unacknowledged breaking change since the last release (${review.acknowledged.length} acknowledged, ${review.others.length} others).`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
