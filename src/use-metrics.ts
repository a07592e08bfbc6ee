import { type DocumentNode, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from './metrics.ts';
import { pathnameOf } from './request-path.ts';

/** Serves `GET /metrics` and counts operations by name. */
export function useMetrics(metrics: GatewayMetrics): Plugin {
  return {
    // Not async: a request for another path gets no promise.
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (pathnameOf(request, url) !== '/metrics') return;
      return metrics.registry.metrics().then((text) =>
        endResponse(
          new fetchAPI.Response(text, {
            headers: { 'content-type': metrics.registry.contentType },
          }),
        ),
      );
    },
    onExecute({ args }) {
      metrics.operation(args.operationName ?? operationNameOf(args.document));
    },
  };
}

function operationNameOf(document: DocumentNode): string | null {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operation?.kind === Kind.OPERATION_DEFINITION ? (operation.name?.value ?? null) : null;
}
