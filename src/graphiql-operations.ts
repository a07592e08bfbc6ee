/**
 * The operations GraphiQL opens with: every flow, runnable against the embedded simulator, whose
 * LoginIds `loginIdOf` gives. start.ts hands them to the gateway (`graphiqlOperations`), so that
 * this module loads nothing of the simulator (nor GraphiQL's assets). Comment lines stay within GRAPHIQL_COMMENT_WIDTH so
 * that the editor pane shows them whole.
 */
export function graphiqlReadyOperations(loginIdOf: (username: string) => string): string {
  return /* GraphQL */ `# Flinks gateway, on the embedded simulator.
# Run an operation: the run button's menu picks.
# Every password is "Everyday"; the README lists
# the simulator's users and their answers. Run a
# README example in a new tab (+).

# 1. Cached mode: a LoginId from Flinks Connect
#    opens a session at once.
mutation CachedAuthorize {
  authorize(
    input: {
      cached: {
        loginId: "${loginIdOf('Greatday')}"
      }
    }
  ) {
    ...Result
  }
}

# 2. Live mode: Greatday asks two questions, one
#    round each.
mutation LiveAuthorize {
  authorize(
    input: {
      credentials: {
        institution: "FlinksCapital"
        username: "Greatday"
        password: "Everyday"
      }
    }
  ) {
    ...Result
  }
}

# 3. Put the requestId of step 2 in place of
#    PASTE-THE-REQUEST-ID and run: Montreal is
#    the answer. The next step asks "What shape
#    do people like most?": put that prompt and
#    "Triangle" below and run: AuthorizeSuccess.
mutation AnswerMfa {
  answerMfa(
    input: {
      requestId: "PASTE-THE-REQUEST-ID"
      responses: [
        {
          prompt: "What city were you born in?"
          answers: ["Montreal"]
        }
      ]
    }
  ) {
    ...Result
  }
}

# 4. One round trip: open a cached session, read
#    the accounts and their recent transactions.
mutation AccountsInOneRoundTrip {
  authorize(
    input: {
      cached: {
        loginId: "${loginIdOf('greatday_nomfa')}"
      }
    }
  ) {
    ...Result
    ... on AuthorizeSuccess {
      accountsSummary {
        __typename
        ... on AccountsSummary {
          accounts {
            id
            title
            balance { current { amount currency } }
          }
        }
      }
      accountsDetail(input: { days: DAYS_90 }) {
        __typename
        ... on AccountsDetail {
          accounts {
            id
            transactions(first: 5) {
              totalCount
              edges {
                node {
                  date
                  description
                  debit { amount }
                  credit { amount }
                }
              }
            }
          }
        }
        ... on DataPending { retryAfterSeconds }
      }
    }
  }
}

# Each operation above uses this fragment:
# GraphiQL sends every fragment with the one
# operation it runs.
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
    challenges {
      type
      rawType
      prompt
      iterables
      responseKey
    }
  }
  ... on Error { code message flinksCode retryable }
  ... on MfaAnswerRejectedError {
    canRetry
    challenges { prompt }
  }
  ... on InvalidInputError { issues { path message } }
}
`;
}

/** The longest comment line of the ready operations: what the editor pane shows whole at 1280 px. */
export const GRAPHIQL_COMMENT_WIDTH = 48;
