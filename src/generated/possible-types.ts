
      export type PossibleTypesResultData = {
  "possibleTypes": {
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
    ]
  }
};
      const result: PossibleTypesResultData = {
  "possibleTypes": {
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
    ]
  }
};
      export default result;
    