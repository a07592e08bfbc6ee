import {
  type DirectiveNode,
  type FieldNode,
  type GraphQLResolveInfo,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * Whether the field being resolved was asked for under `@defer` (an inline fragment or a
 * fragment spread carrying it, at any depth above the field, its `if` not false) and only there.
 * The executor resolves a deferred fragment after the initial payload is sent, with the field's
 * own nodes of the document in `info.fieldNodes`: a node also reachable outside every `@defer`
 * (a fragment spread both ways) counts as not deferred, so the slow path is never taken by
 * something the initial payload waits for.
 */
export function isDeferred(info: GraphQLResolveInfo): boolean {
  const targets = new Set<FieldNode>(info.fieldNodes);
  let deferred = false;
  let plain = false;
  const visit = (selectionSet: SelectionSetNode, underDefer: boolean, open: Set<string>) => {
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          if (targets.has(selection)) {
            if (underDefer) deferred = true;
            else plain = true;
          }
          if (selection.selectionSet) visit(selection.selectionSet, underDefer, open);
          break;
        case Kind.INLINE_FRAGMENT:
          visit(
            selection.selectionSet,
            underDefer || defers(selection.directives, info.variableValues),
            open,
          );
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const fragment = info.fragments[name];
          // A cycle is refused by validation; `open` only keeps this walk finite regardless.
          if (!fragment || open.has(name)) break;
          visit(
            fragment.selectionSet,
            underDefer || defers(selection.directives, info.variableValues),
            new Set(open).add(name),
          );
          break;
        }
      }
    }
  };
  visit(info.operation.selectionSet, false, new Set());
  return deferred && !plain;
}

function defers(
  directives: readonly DirectiveNode[] | undefined,
  variables: Record<string, unknown>,
): boolean {
  const defer = directives?.find((d) => d.name.value === 'defer');
  if (!defer) return false;
  const condition = defer.arguments?.find((a) => a.name.value === 'if');
  return !condition || valueFromASTUntyped(condition.value, variables) !== false;
}
