import {
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Refuses an operation with more than `max` uses of `@defer` and `@stream`, counted as the
 * operation runs them: a fragment spread twice counts its directives twice. Each one is a
 * payload the gateway holds a response open for, and a deferred accountsDetail waits upstream
 * for minutes; depth, aliases, tokens and cost do not bound that.
 */
export function useIncrementalLimit(max: number): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(incrementalLimitRule(max));
    },
  };
}

export function incrementalLimitRule(max: number): ValidationRule {
  return (context) => ({
    Document(document: DocumentNode) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) {
          fragments.set(definition.name.value, definition);
        }
      }
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const count = countIn(definition.selectionSet, fragments, new Set(), max);
        if (count > max) {
          const name = definition.name ? `"${definition.name.value}"` : 'The operation';
          context.reportError(
            new GraphQLError(
              `${name} uses @defer and @stream more than ${max} times; the limit is ${max}.`,
              { nodes: [definition as ASTNode] },
            ),
          );
        }
      }
      return false;
    },
  });
}

/** Stops counting past `max`, so that a fragment spread many times costs little to refuse. */
function countIn(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  open: Set<string>,
  max: number,
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (count > max) break;
    count += (selection.directives ?? []).filter(
      (d) => d.name.value === 'defer' || d.name.value === 'stream',
    ).length;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A cycle is refused by another rule; `open` keeps this one finite meanwhile.
      if (fragment && !open.has(name)) {
        count += countIn(fragment.selectionSet, fragments, new Set(open).add(name), max - count);
      }
    } else if (selection.selectionSet) {
      count += countIn(selection.selectionSet, fragments, open, max - count);
    }
  }
  return count;
}
