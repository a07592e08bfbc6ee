import {
  type Faults,
  faultsFromEnv,
  SIMULATOR_API_KEY,
  SIMULATOR_CUSTOMER_ID,
  SIMULATOR_SECRET_KEY,
  startSimulator,
} from './index.ts';

const port = Number(process.env.SIMULATOR_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SIMULATOR_PORT must be a port number, got '${process.env.SIMULATOR_PORT}'`);
  process.exit(1);
}

let faults: Faults;
try {
  faults = faultsFromEnv(process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const running = await startSimulator({
  port,
  host: process.env.SIMULATOR_HOST ?? '127.0.0.1',
  faults,
});
console.log(
  `Flinks simulator on ${running.url} (customer id ${SIMULATOR_CUSTOMER_ID}, secret key ${SIMULATOR_SECRET_KEY}, x-api-key ${SIMULATOR_API_KEY})`,
);
if (Object.keys(faults).length > 0) console.log(`Faults: ${JSON.stringify(faults)}`);

function stop(): void {
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

process.once('SIGINT', stop);
process.once('SIGTERM', stop);
