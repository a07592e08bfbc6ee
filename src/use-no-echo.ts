import {
  coerceInputValue,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  isInputType,
  isNonNullType,
  typeFromAST,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Nothing a caller sent comes back in an error: client-side error reporting ships `errors[]`
 * elsewhere, and a variable that breaks `@oneOf` used to carry the password in its message.
 *
 * - Variables are coerced here first, before graphql-js does, with messages that name the variable,
 *   the path inside it and the problem, never the value (graphql-js prints the whole value).
 * - Every error of a result loses `extensions.originalError` (Yoga's JSON parser puts the parser's
 *   message, with the first bytes of the body, there), and messages of the forms that quote what
 *   was sent (a literal of the wrong type, a token in a syntax error) lose the quote. Codes and
 *   locations stay.
 */
export function useNoEcho(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = coercionErrors(
        args.schema,
        args.document,
        args.operationName,
        args.variableValues,
      );
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onResultProcess({ result }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        const errors = (one as { errors?: readonly unknown[] }).errors;
        for (const error of errors ?? []) {
          if (error instanceof GraphQLError) withoutEcho(error);
        }
      }
    },
  };
}

/** Errors this module wrote: their messages already quote nothing. */
const ours = new WeakSet<GraphQLError>();

function coercionErrors(
  schema: GraphQLSchema,
  document: Parameters<typeof getOperationAST>[0],
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  const errors: GraphQLError[] = [];
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    // Unknown types, missing and null values: graphql-js' own messages print no value.
    if (!type || !isInputType(type) || !variables || !Object.hasOwn(variables, name)) continue;
    const value = variables[name];
    if (value === null && isNonNullType(type)) continue;
    const sent = sentStrings(value);
    coerceInputValue(value, type, (path, _invalid, error) => {
      const at = path.length > 0 ? ` at "${name}${printPath(path)}"` : '';
      const problem = withoutValue(error.message);
      const message = sent.some((text) => problem.includes(text))
        ? `Variable "$${name}" got an invalid value${at}.`
        : `Variable "$${name}" got an invalid value${at}: ${problem}`;
      // A 400, as for the executor's own coercion errors.
      const coerced = new GraphQLError(message, {
        nodes: definition,
        extensions: { http: { status: 400 } },
      });
      ours.add(coerced);
      errors.push(coerced);
    });
  }
  return errors;
}

function printPath(path: ReadonlyArray<string | number>): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
}

/** The strings inside a value, long enough to be worth looking for in a message. */
function sentStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.length >= 3) into.push(value);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) sentStrings(item, into);
  }
  return into;
}

/** Messages of graphql-js that end by quoting the value sent, cut before the quote. */
function withoutValue(message: string): string {
  return message
    .replace(/^(.*?\bvalue): [\s\S]*$/, '$1.')
    .replace(/^(Expected value of type "[^"]*"), found [\s\S]*$/, '$1.')
    .replace(
      /^Value "(?:[^"\\]|\\.)*" does not exist in ("[^"]+" enum\.)[\s\S]*$/,
      'The value does not exist in $1',
    )
    .replace(
      /^(Syntax Error: [\s\S]*?)\b(found|Unexpected) (String|BlockString|Name|Int|Float) "(?:[^"\\]|\\.)*"/,
      '$1$2 $3',
    )
    .replace(
      /^Variable "\$(\w+)" got invalid value [\s\S]*$/,
      'Variable "$$$1" got an invalid value.',
    );
}

function withoutEcho(error: GraphQLError): void {
  if (ours.has(error)) return;
  const extensions = error.extensions as Record<string, unknown> | undefined;
  if (extensions?.originalError !== undefined) {
    // Kept, but not enumerable, so not serialized: Yoga reads its presence to choose the status.
    Object.defineProperty(extensions, 'originalError', {
      value: extensions.originalError,
      enumerable: false,
    });
  }
  const message = withoutValue(error.message);
  if (message !== error.message) error.message = message;
}
