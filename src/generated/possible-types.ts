
      export type PossibleTypesResultData = {
  "possibleTypes": {
    "AccountsDetailResult": [
      "AccountsDetail",
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "ServiceUnavailableError",
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
      "ServiceUnavailableError",
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
      "MfaAnswerInProgressError",
      "MfaAnswerRejectedError",
      "MfaRequired",
      "RateLimitedError",
      "ServiceUnavailableError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "DataSession": [
      "AuthorizeSuccess",
      "Session"
    ],
    "DeleteLoginResult": [
      "InstitutionUnavailableError",
      "InvalidInputError",
      "LoginDeleted",
      "LoginNotFoundError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "SessionBusyError",
      "UpstreamError"
    ],
    "Error": [
      "InstitutionUnavailableError",
      "InvalidCredentialsError",
      "InvalidInputError",
      "LoginActionRequiredError",
      "LoginNotFoundError",
      "MfaAnswerInProgressError",
      "MfaAnswerRejectedError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "MfaStepResult": [
      "InvalidInputError",
      "MfaRequired",
      "ServiceUnavailableError",
      "SessionExpiredError"
    ],
    "SessionResult": [
      "InvalidInputError",
      "ServiceUnavailableError",
      "Session",
      "SessionExpiredError"
    ],
    "StatementsResult": [
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "ServiceUnavailableError",
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
      "ServiceUnavailableError",
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
      "ServiceUnavailableError",
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
      "MfaAnswerInProgressError",
      "MfaAnswerRejectedError",
      "MfaRequired",
      "RateLimitedError",
      "ServiceUnavailableError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "DataSession": [
      "AuthorizeSuccess",
      "Session"
    ],
    "DeleteLoginResult": [
      "InstitutionUnavailableError",
      "InvalidInputError",
      "LoginDeleted",
      "LoginNotFoundError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "SessionBusyError",
      "UpstreamError"
    ],
    "Error": [
      "InstitutionUnavailableError",
      "InvalidCredentialsError",
      "InvalidInputError",
      "LoginActionRequiredError",
      "LoginNotFoundError",
      "MfaAnswerInProgressError",
      "MfaAnswerRejectedError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "SessionBusyError",
      "SessionExpiredError",
      "UpstreamError"
    ],
    "MfaStepResult": [
      "InvalidInputError",
      "MfaRequired",
      "ServiceUnavailableError",
      "SessionExpiredError"
    ],
    "SessionResult": [
      "InvalidInputError",
      "ServiceUnavailableError",
      "Session",
      "SessionExpiredError"
    ],
    "StatementsResult": [
      "DataPending",
      "InstitutionUnavailableError",
      "InvalidInputError",
      "RateLimitedError",
      "ServiceUnavailableError",
      "SessionBusyError",
      "SessionExpiredError",
      "Statements",
      "UpstreamError"
    ]
  }
};
      export default result;
    