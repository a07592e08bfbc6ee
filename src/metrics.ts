import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BreakerState } from './flinks/resilience.ts';
import type { FlinksMetrics } from './flinks/transport.ts';

/** What the gateway reports to Prometheus (`GET /metrics`). One registry per gateway. */
export interface GatewayMetrics {
  readonly registry: Registry;
  readonly flinks: FlinksMetrics;
  /** A GraphQL operation was executed. */
  operation(name: string | null): void;
  /** A root field resolved to this `__typename` (`unexpected` for a masked error). */
  result(field: string, typename: string): void;
  /** Reads the client's breaker state, token pool size and token line at each scrape. */
  watch(source: WatchedClient): void;
}

/** What a scrape reads from the Flinks client. */
interface WatchedClient {
  readonly breakerState: BreakerState;
  readonly tokenPoolSize: number;
  readonly tokenWaiting: number;
}

const MAX_OPERATION_LABELS = 200;

/** A client's operation name when it is a plain GraphQL name of at most 64 characters, else `anonymous`. */
export function operationLabel(name: string | null | undefined): string {
  return name && /^[A-Za-z_]\w{0,63}$/.test(name) ? name : 'anonymous';
}
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  const operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations executed, by operation name.',
    labelNames: ['operation'],
    registers: [registry],
  });
  const results = new Counter({
    name: 'gateway_graphql_results_total',
    help: 'Root field results by field and result __typename.',
    labelNames: ['field', 'typename'],
    registers: [registry],
  });
  const upstream = new Histogram({
    name: 'flinks_upstream_duration_seconds',
    help: 'Flinks calls by endpoint, HTTP status and FlinksCode.',
    labelNames: ['endpoint', 'status', 'flinks_code'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'flinks_retries_total',
    help: 'Flinks calls sent again after a transient failure, by endpoint.',
    labelNames: ['endpoint'],
    registers: [registry],
  });
  const seenOperations = new Set<string>();
  let source: WatchedClient | null = null;
  new Gauge({
    name: 'flinks_circuit_state',
    help: 'Circuit breaker of the Flinks origin: 0 closed, 1 half-open, 2 open.',
    registers: [registry],
    collect() {
      if (source) this.set(BREAKER_VALUE[source.breakerState]);
    },
  });
  new Gauge({
    name: 'flinks_token_pool_size',
    help: 'Pre-minted /Authorize tokens ready.',
    registers: [registry],
    collect() {
      if (source) this.set(source.tokenPoolSize);
    },
  });
  new Gauge({
    name: 'flinks_token_waiting',
    help: 'Calls waiting in line for a one-time /Authorize token (none ready, its mint under way).',
    registers: [registry],
    collect() {
      if (source) this.set(source.tokenWaiting);
    },
  });

  return {
    registry,
    flinks: {
      upstream(endpoint, status, flinksCode, seconds) {
        upstream.observe(
          { endpoint, status: String(status), flinks_code: flinksCode ?? '' },
          seconds,
        );
      },
      retry(endpoint) {
        retries.inc({ endpoint });
      },
    },
    operation(name) {
      // Operation names come from clients: bounded, so a client cannot grow the label set.
      let label = operationLabel(name);
      if (!seenOperations.has(label)) {
        if (seenOperations.size >= MAX_OPERATION_LABELS) label = 'other';
        else seenOperations.add(label);
      }
      operations.inc({ operation: label });
    },
    result(field, typename) {
      results.inc({ field, typename });
    },
    watch(watched) {
      source = watched;
    },
  };
}
