/**
 * (b) The physical limit for a Node gateway here: node:http in, one undici Pool request out per
 * incoming request, a GraphQL-shaped body each way, nothing else.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { serve } from '../child.ts';

const upstream = process.env.BENCH_UPSTREAM ?? '';
const authorizePath = process.env.BENCH_AUTHORIZE_PATH ?? '';
const pool = new Pool(upstream, { connections: Number(process.env.BENCH_CONNECTIONS ?? 1024) });

interface GraphQLBody {
  variables?: { input?: { cached?: { loginId?: string } } };
}

const server = createServer(async (req, res) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { variables } = JSON.parse(Buffer.concat(chunks).toString()) as GraphQLBody;
    const response = await pool.request({
      path: authorizePath,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'flinks-auth-key': 'bench-token' },
      body: JSON.stringify({ LoginId: variables?.input?.cached?.loginId, MostRecentCached: true }),
    });
    const upstreamBody = (await response.body.json()) as { RequestId?: string };
    const payload = JSON.stringify({
      data: { authorize: { __typename: 'AuthorizeSuccess', requestId: upstreamBody.RequestId } },
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  } catch {
    res.writeHead(502).end();
  }
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serve(`http://127.0.0.1:${port}/graphql`, async () => {
    server.close();
    await pool.close();
  });
});
