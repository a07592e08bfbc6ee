import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import './errors.ts';
import './security-challenge.ts';
import './data.ts';
import './authorize.ts';
import './logins.ts';

/** The gateway's GraphQL schema, sorted so that its printed form is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
