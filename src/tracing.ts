import {
  context,
  type Context as OtelContext,
  propagation,
  type Span,
  type SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { TracingConfig } from './config.ts';

export interface Tracing {
  tracer: Tracer;
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry for this process: an OTLP/HTTP exporter (protobuf, or JSON when the protocol
 * variables say `http/json`) behind a batch processor, the sampler
 * OTEL_TRACES_SAMPLER names, W3C trace-context propagation, and an AsyncLocalStorage context
 * manager so that a Flinks call's span finds the GraphQL operation it belongs to.
 */
export function startTracing(config: TracingConfig): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    sampler: samplerOf(config),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter:
          config.protocol === 'http/json'
            ? new OTLPJsonTraceExporter({ url: config.url })
            : new OTLPProtobufTraceExporter({ url: config.url }),
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: provider.getTracer('flinks-gateway'),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

function samplerOf({ sampler, samplerRatio }: TracingConfig): Sampler {
  const root = sampler.endsWith('always_off')
    ? new AlwaysOffSampler()
    : sampler.endsWith('traceidratio')
      ? new TraceIdRatioBasedSampler(samplerRatio)
      : new AlwaysOnSampler();
  return sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}

const headerGetter = {
  get: (headers: Headers, key: string) => headers.get(key) ?? undefined,
  keys: (headers: Headers) => [...headers.keys()],
};

/** The trace context the caller sent in `traceparent`, or the active one. */
export function callerContext(headers: Headers): OtelContext {
  return propagation.extract(context.active(), headers, headerGetter);
}

/** Runs `work` in a span that is active meanwhile, ending it with the outcome. */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: { kind: SpanKind; attributes: Record<string, string | number> },
  parent: OtelContext,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      // The class name only: messages and causes may quote what a caller or Flinks sent.
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.name ?? 'Error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Records a result `__typename` on the active span (the GraphQL operation's), if traced. */
export function traceResult(field: string, typename: string): void {
  trace.getActiveSpan()?.setAttribute(`graphql.result.${field}`, typename);
}
