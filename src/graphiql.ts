import { simulatorLoginId } from './simulator/index.ts';

/** The operations GraphiQL opens with: every flow, runnable against the embedded simulator. */
export const GRAPHIQL_DEFAULT_QUERY = /* GraphQL */ `# Flinks gateway. Pick an operation with the run button's menu.
# On the embedded simulator every user's password is "Everyday" (see the README for the users).
#
# 1. Cached mode: a LoginId from Flinks Connect opens a session at once.
mutation CachedAuthorize {
  authorize(input: { cached: { loginId: "${simulatorLoginId('Greatday')}" } }) {
    ...Result
  }
}

# 2. Live mode: Greatday asks two questions, one round each.
mutation LiveAuthorize {
  authorize(
    input: { credentials: { institution: "FlinksCapital", username: "Greatday", password: "Everyday" } }
  ) {
    ...Result
  }
}

# 3. Paste the requestId of step 2, answer its prompt (Montreal), then run again for the
#    next prompt ("What shape do people like most?" -> Triangle) until AuthorizeSuccess.
mutation AnswerMfa {
  answerMfa(
    input: {
      requestId: "PASTE-THE-REQUEST-ID"
      responses: [{ prompt: "What city were you born in?", answers: ["Montreal"] }]
    }
  ) {
    ...Result
  }
}

# 4. One round trip: open a cached session and read the accounts and recent transactions.
mutation AccountsInOneRoundTrip {
  authorize(input: { cached: { loginId: "${simulatorLoginId('greatday_nomfa')}" } }) {
    __typename
    ... on AuthorizeSuccess {
      requestId
      accountsSummary {
        __typename
        ... on AccountsSummary {
          accounts { id title currency balance { current { amount currency } } }
        }
      }
      accountsDetail(input: { days: DAYS_90 }) {
        __typename
        ... on AccountsDetail {
          accounts {
            id
            transactions(first: 5) {
              totalCount
              pageInfo { hasNextPage endCursor }
              edges { node { date description debit { amount } credit { amount } } }
            }
          }
        }
        ... on DataPending { retryAfterSeconds }
      }
    }
    ... on Error { code message }
  }
}

fragment Result on AuthorizeResult {
  __typename
  ... on AuthorizeSuccess {
    requestId
    institution
    login { id username lastRefresh }
  }
  ... on MfaRequired {
    requestId
    expiresAt
    challenges { type rawType prompt iterables responseKey }
  }
  ... on Error { code message flinksCode retryable }
  ... on MfaAnswerRejectedError { canRetry challenges { prompt } }
  ... on InvalidInputError { issues { path message } }
}
`;
