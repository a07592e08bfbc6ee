import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLString,
  lexicographicSortSchema,
  specifiedDirectives,
} from 'graphql';
import { builder } from './builder.ts';
import './errors.ts';
import './challenges.ts';
import './session.ts';
import './authorize.ts';
import './logins.ts';

// graphql 16 does not define them; these are the definitions @graphql-yoga/plugin-defer-stream
// adds, declared here so that schema.graphql (the contract clients and codegen read) shows them.
const condition = {
  type: new GraphQLNonNull(GraphQLBoolean),
  defaultValue: true,
} as const;

const defer = new GraphQLDirective({
  name: 'defer',
  description:
    'Sends this fragment in a later payload of the same response (`multipart/mixed`), so the rest comes at once.',
  locations: [DirectiveLocation.FRAGMENT_SPREAD, DirectiveLocation.INLINE_FRAGMENT],
  args: {
    if: { ...condition, description: 'Deferred when true or omitted.' },
    label: { type: GraphQLString, description: 'Names the payload that carries the fragment.' },
  },
});

const stream = new GraphQLDirective({
  name: 'stream',
  description:
    'Sends the items of this list after the first `initialCount`, in later payloads of the same response.',
  locations: [DirectiveLocation.FIELD],
  args: {
    if: { ...condition, description: 'Streamed when true or omitted.' },
    label: { type: GraphQLString, description: 'Names the payloads that carry the items.' },
    initialCount: {
      type: GraphQLInt,
      defaultValue: 0,
      description: 'Items in the first payload.',
    },
  },
});

/** The gateway's GraphQL schema, sorted so that its printed form is stable. */
export const schema = lexicographicSortSchema(
  builder.toSchema({ directives: [...specifiedDirectives, defer, stream] }),
);
