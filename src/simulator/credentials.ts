/**
 * The public Flinks toolbox customer id, so that a gateway configured for toolbox works as is;
 * also the gateway's default FLINKS_CUSTOMER_ID (config.ts).
 */
export const SIMULATOR_CUSTOMER_ID = '43387ca6-0391-4c82-857d-70d95f087ecb';

/** The simulator's own secret key; deliberately not the public toolbox secret. */
export const SIMULATOR_SECRET_KEY = 'b2ebb93b-4b6b-41ec-b352-5482409529c4';

/** The `x-api-key` of the simulator's data endpoints. */
export const SIMULATOR_API_KEY = '1f6c9375-c117-44d5-8061-0fe9015fd483';
