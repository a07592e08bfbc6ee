import { PASSWORD, SEEDED_LOGINS, USERS } from './users.ts';

export { SIMULATOR_API_KEY, SIMULATOR_CUSTOMER_ID, SIMULATOR_SECRET_KEY } from './credentials.ts';
export { FAULT_KINDS, type Faults, faultsFromEnv } from './faults.ts';
export {
  createSimulator,
  type RunningSimulator,
  type Simulator,
  type SimulatorCall,
  type SimulatorOptions,
  type StartSimulatorOptions,
  startSimulator,
} from './server.ts';
export { loginIdOf as simulatorLoginId } from './users.ts';
export type { FaultKind } from './wire.ts';

/** Every username the simulator knows (password `Everyday`) and what it triggers, for docs. */
export const SIMULATOR_USERS: ReadonlyArray<{
  username: string;
  password: string;
  triggers: string;
}> = USERS.map(({ username, triggers }) => ({ username, password: PASSWORD, triggers }));

/** The LoginIds that exist from the start, and what cached and refresh calls on them do. */
export const SIMULATOR_LOGIN_IDS: ReadonlyArray<{
  loginId: string;
  username: string;
  triggers: string;
}> = SEEDED_LOGINS.map(({ loginId, username, triggers }) => ({ loginId, username, triggers }));
