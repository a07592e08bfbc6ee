
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AccountsDetailResult": [
      "AccountsDetail",
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "AccountsSummaryResult": [
      "AccountsSummary",
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "AuthorizeResult": [
      "AuthorizeSuccess",
      "InstitutionUnavailableError",
      "InvalidCredentialsError",
      "InvalidInputError",
      "LoginActionRequiredError",
      "MfaAnswerRejectedError",
      "MfaRequired",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "DataSession": [
      "AuthorizeSuccess",
      "Session"
    ],
    "Error": [
      "InstitutionUnavailableError",
      "InvalidCredentialsError",
      "InvalidInputError",
      "LoginActionRequiredError",
      "MfaAnswerRejectedError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "MfaStepResult": [
      "InvalidInputError",
      "MfaRequired",
      "SessionExpiredError"
    ],
    "SessionResult": [
      "InvalidInputError",
      "Session",
      "SessionExpiredError"
    ],
    "StatementsResult": [
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "Statements",
      "UpstreamError"
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
    "AccountsDetailResult": [
      "AccountsDetail",
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "AccountsSummaryResult": [
      "AccountsSummary",
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "AuthorizeResult": [
      "AuthorizeSuccess",
      "InstitutionUnavailableError",
      "InvalidCredentialsError",
      "InvalidInputError",
      "LoginActionRequiredError",
      "MfaAnswerRejectedError",
      "MfaRequired",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "DataSession": [
      "AuthorizeSuccess",
      "Session"
    ],
    "Error": [
      "InstitutionUnavailableError",
      "InvalidCredentialsError",
      "InvalidInputError",
      "LoginActionRequiredError",
      "MfaAnswerRejectedError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "MfaStepResult": [
      "InvalidInputError",
      "MfaRequired",
      "SessionExpiredError"
    ],
    "SessionResult": [
      "InvalidInputError",
      "Session",
      "SessionExpiredError"
    ],
    "StatementsResult": [
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "SessionBusyError",
      "SessionExpiredError",
      "Statements",
      "UpstreamError"
    ]
  }
};
      export default result;
    