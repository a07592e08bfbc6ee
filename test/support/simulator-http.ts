import {
  type RunningSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  type StartSimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.ts';

export interface WireChallenge {
  Type: string;
  Prompt: string;
  Iterables?: string[];
}

export interface FlinksBody {
  [field: string]: unknown;
  HttpStatusCode?: number;
  FlinksCode?: string;
  Message?: string;
  RequestId?: string;
  Token?: string;
  SecurityChallenges?: WireChallenge[];
  Login?: { Username: string; LastRefresh: string; Id: string; Type?: string };
}

export interface FlinksResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; empty when the body is not JSON. */
  body: FlinksBody;
}

/**
 * A raw HTTP client of the simulator: Flinks' wire as it is (PascalCase JSON, status codes), no
 * gateway and no FlinksClient in between.
 */
export interface SimulatorHttp {
  readonly running: RunningSimulator;
  url(endpoint: string): string;
  post(
    endpoint: string,
    body?: unknown,
    init?: { authKey?: string; signal?: AbortSignal },
  ): Promise<FlinksResponse>;
  token(): Promise<string>;
  /** POST /Authorize with a fresh token. */
  authorize(body: unknown, signal?: AbortSignal): Promise<FlinksResponse>;
  logIn(username: string, extra?: Record<string, unknown>): Promise<FlinksResponse>;
  answer(requestId: string, responses: Record<string, string[]>): Promise<FlinksResponse>;
  /** POST to a data endpoint with the simulator's `x-api-key` (or `apiKey`; null sends none). */
  data(endpoint: string, body?: unknown, apiKey?: string | null): Promise<FlinksResponse>;
  /** GET /GetAccountsDetailAsync/{requestId} with the `x-api-key`. */
  poll(requestId: string, apiKey?: string | null): Promise<FlinksResponse>;
  /** DELETE /DeleteCard/{loginId} with the `x-api-key`. */
  deleteCard(loginId: string, apiKey?: string | null): Promise<FlinksResponse>;
  close(): Promise<void>;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function defined<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`Expected a ${what}`);
  return value;
}

export async function startSimulatorHttp(
  options: StartSimulatorOptions = {},
): Promise<SimulatorHttp> {
  const running = await startSimulator(options);
  const customerId = options.customerId ?? SIMULATOR_CUSTOMER_ID;
  const secretKey = options.secretKey ?? SIMULATOR_SECRET_KEY;
  const url = (endpoint: string) => `${running.url}/v3/${customerId}/BankingServices/${endpoint}`;

  async function send(
    method: string,
    endpoint: string,
    headers: Record<string, string>,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<FlinksResponse> {
    const response = await fetch(url(endpoint), {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.startsWith('application/json') === true;
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: isJson ? (JSON.parse(text) as FlinksBody) : {},
    };
  }

  const apiKeyHeader = (apiKey: string | null | undefined): Record<string, string> =>
    apiKey === null ? {} : { 'x-api-key': apiKey ?? options.apiKey ?? SIMULATOR_API_KEY };

  async function post(
    endpoint: string,
    body?: unknown,
    init: { authKey?: string; signal?: AbortSignal } = {},
  ): Promise<FlinksResponse> {
    return send(
      'POST',
      endpoint,
      init.authKey === undefined ? {} : { 'flinks-auth-key': init.authKey },
      body,
      init.signal,
    );
  }

  async function token(): Promise<string> {
    const response = await post('GenerateAuthorizeToken', undefined, { authKey: secretKey });
    return defined(response.body.Token, 'token');
  }

  async function authorize(body: unknown, signal?: AbortSignal): Promise<FlinksResponse> {
    return post('Authorize', body, { authKey: await token(), ...(signal ? { signal } : {}) });
  }

  return {
    running,
    url,
    post,
    token,
    authorize,
    logIn: (username, extra = {}) =>
      authorize({
        Institution: 'FlinksCapital',
        Username: username,
        Password: 'Everyday',
        MostRecentCached: false,
        ...extra,
      }),
    answer: (requestId, responses) =>
      authorize({ RequestId: requestId, SecurityResponses: responses }),
    data: (endpoint, body, apiKey) => send('POST', endpoint, apiKeyHeader(apiKey), body),
    poll: (requestId, apiKey) =>
      send('GET', `GetAccountsDetailAsync/${requestId}`, apiKeyHeader(apiKey)),
    deleteCard: (loginId, apiKey) => send('DELETE', `DeleteCard/${loginId}`, apiKeyHeader(apiKey)),
    close: () => running.close(),
  };
}
