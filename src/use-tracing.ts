import { SpanKind, type Tracer } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationLabel } from './metrics.ts';
import { callerContext, inSpan } from './tracing.ts';

/**
 * A span per executed GraphQL operation, continuing the caller's W3C `traceparent`: named
 * `mutation Authorize`, with the operation's type and name, and (through `traceResult`) the
 * `__typename` each root or data field resolved to. Active while the operation runs, so every
 * Flinks call it makes is its child. Never the document or the variables: a document may carry
 * a password inline.
 */
export function useTracing(tracer: Tracer): Plugin<{ request: Request }> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'query';
      const label = operationLabel(operation?.name?.value);
      const parent = callerContext(args.contextValue.request.headers);
      setExecuteFn((executeArgs) =>
        inSpan(
          tracer,
          `${type} ${label}`,
          {
            kind: SpanKind.SERVER,
            attributes: { 'graphql.operation.type': type, 'graphql.operation.name': label },
          },
          parent,
          async () => executeFn(executeArgs),
        ),
      );
    },
  };
}
