/**
 * (c) The naive gateway: Yoga + Pothos with default settings, one upstream call per `authorize`,
 * no authentication, limits, retries or logging.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import SchemaBuilder from '@pothos/core';
import { createYoga } from 'graphql-yoga';
import { Pool } from 'undici';
import { serve } from '../child.ts';

const upstream = process.env.BENCH_UPSTREAM ?? '';
const authorizePath = process.env.BENCH_AUTHORIZE_PATH ?? '';
const pool = new Pool(upstream, { connections: Number(process.env.BENCH_CONNECTIONS ?? 1024) });

interface Session {
  requestId: string;
}

const builder = new SchemaBuilder<{ DefaultFieldNullability: false }>({
  defaultFieldNullability: false,
});
const AuthorizeSuccess = builder.objectRef<Session>('AuthorizeSuccess').implement({
  fields: (t) => ({ requestId: t.exposeID('requestId') }),
});
const CachedAuthorizeInput = builder.inputType('CachedAuthorizeInput', {
  fields: (t) => ({ loginId: t.id({ required: true }) }),
});
const AuthorizeInput = builder.inputType('AuthorizeInput', {
  fields: (t) => ({ cached: t.field({ type: CachedAuthorizeInput, required: true }) }),
});
builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) });
builder.mutationType({
  fields: (t) => ({
    authorize: t.field({
      type: AuthorizeSuccess,
      args: { input: t.arg({ type: AuthorizeInput, required: true }) },
      resolve: async (_root, { input }) => {
        const response = await pool.request({
          path: authorizePath,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'flinks-auth-key': 'bench-token' },
          body: JSON.stringify({ LoginId: String(input.cached.loginId), MostRecentCached: true }),
        });
        const body = (await response.body.json()) as { RequestId: string };
        return { requestId: body.RequestId };
      },
    }),
  }),
});

const yoga = createYoga({ schema: builder.toSchema(), logging: false });
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serve(`http://127.0.0.1:${port}/graphql`, async () => {
    server.close();
    await pool.close();
  });
});
