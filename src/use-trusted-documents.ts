import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import manifest from './generated/persisted-documents.json' with { type: 'json' };

/** A persisted-documents manifest: the hex SHA-256 of each document -> the document. */
export type TrustedDocuments = Readonly<Record<string, string>>;

/** The manifest codegen.ts writes from operations/*.graphql. */
export const PERSISTED_DOCUMENTS: TrustedDocuments = manifest;

/**
 * Trusted-documents mode: the gateway runs only the operations of the manifest, named by hash,
 * and refuses any request that carries a query text. A request names its document either as
 * Apollo's persisted-query extension does (`extensions.persistedQuery.sha256Hash`, hex) or as
 * the GraphQL-over-HTTP persisted-operations draft does (`documentId: "sha256:<hex>"`).
 */
export function useTrustedDocuments(documents: TrustedDocuments = PERSISTED_DOCUMENTS): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params) => {
      const { extensions, documentId } = params as typeof params & { documentId?: unknown };
      if (typeof documentId === 'string') return documentId.replace(/^sha256:/, '');
      const persisted = extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null;
    },
    getPersistedOperation: (hash) =>
      Object.hasOwn(documents, hash) ? (documents[hash] ?? null) : null,
  }) as Plugin;
}
