import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphiqlReadyOperations } from '../src/graphiql-operations.ts';
import { schema } from '../src/schema/index.ts';
import { simulatorLoginId } from '../src/simulator/index.ts';

const GRAPHIQL_OPERATIONS = graphiqlReadyOperations(simulatorLoginId);

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map(
  (match) => match[1] as string,
);

describe('the operations people copy', () => {
  it('finds the README’s GraphQL examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
  });

  it.each(blocks.map((block, i) => [i + 1, block]))(
    'README example %i is valid against the schema',
    (_i, block) => {
      expect(validate(schema, parse(block as string)).map((error) => error.message)).toEqual([]);
    },
  );

  it('GraphiQL opens with operations valid against the schema', () => {
    expect(validate(schema, parse(GRAPHIQL_OPERATIONS)).map((error) => error.message)).toEqual([]);
  });
});
