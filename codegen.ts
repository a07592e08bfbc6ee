import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

/**
 * Client artifacts from schema.graphql and operations/*.graphql, written to src/generated/ by
 * `npm run generate` (scripts/generate.ts runs this config) and checked by `npm test`:
 * - graphql.ts: result and variable types, and a TypedDocumentNode per operation carrying its
 *   hash as `__meta__.hash`, for Apollo Client, urql or any client;
 * - persisted-documents.json: hash -> document, the manifest of trusted-documents mode;
 * - possible-types.ts: the members of each union and interface, for Apollo's InMemoryCache.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['operations/**/*.graphql'],
  silent: true,
  generates: {
    'src/generated/': {
      preset: 'client',
      // Apollo Client adds __typename to every selection set before sending; adding it here too
      // makes the document Apollo sends the one whose hash is in the manifest.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      presetConfig: {
        fragmentMasking: false,
        skipIndexFile: true,
        persistedDocuments: {
          mode: 'embedHashInDocument',
          // The bare hex digest: what Apollo's persisted-query protocol puts in `sha256Hash`.
          hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex'),
        },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string', Date: 'string', Decimal: 'string', ID: 'string' },
        strictScalars: true,
        nonOptionalTypename: true,
      },
    },
    'src/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true },
    },
  },
};

export default config;
