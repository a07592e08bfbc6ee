import { createYoga, maskError, type YogaServerInstance } from 'graphql-yoga';
import type { Logger } from 'pino';
import { MemoryRoundStore, type RoundStore } from './authorize/round-store.ts';
import { AuthorizeService, type AuthorizeServiceOptions } from './authorize/service.ts';
import type { Context } from './context.ts';
import { FlinksContractError } from './flinks/errors.ts';
import { GRAPHIQL_DEFAULT_QUERY } from './graphiql.ts';
import { schema } from './schema/index.ts';

export interface GatewayOptions {
  /** GraphiQL and introspection; off in production. */
  production: boolean;
}

export interface GatewayDeps {
  flinks: AuthorizeServiceOptions['flinks'];
  logger: Logger;
  rounds?: RoundStore;
  now?: () => number;
}

export type Gateway = YogaServerInstance<Record<string, unknown>, Context>;

/** The gateway's Yoga instance: no listening, no environment reads. */
export function createGateway(options: GatewayOptions, deps: GatewayDeps): Gateway {
  const { logger } = deps;
  const authorize = new AuthorizeService({
    flinks: deps.flinks,
    rounds: deps.rounds ?? new MemoryRoundStore({ now: deps.now }),
    now: deps.now,
    logger,
  });

  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: false,
    graphiql: options.production
      ? false
      : {
          title: 'Flinks gateway',
          defaultQuery: GRAPHIQL_DEFAULT_QUERY,
          shouldPersistHeaders: false,
        },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    maskedErrors: {
      // Never put the original error in the response, whatever NODE_ENV says; log it instead.
      isDev: false,
      maskError: (error, message) => {
        const masked = maskError(error, message, false);
        if (masked !== error)
          logUnexpected(logger, (error as { originalError?: unknown }).originalError ?? error);
        return masked;
      },
    },
    context: ({ request }): Context => ({
      principal: 'anonymous',
      authorize,
      logger,
      signal: request.signal,
    }),
  });
}

function logUnexpected(logger: Logger, error: unknown): void {
  if (error instanceof FlinksContractError) {
    logger.error(
      { endpoint: error.endpoint, status: error.status, detail: error.detail },
      error.message,
    );
  } else {
    logger.error({ err: error }, 'unexpected error');
  }
}
