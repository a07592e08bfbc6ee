/**
 * (d) This gateway, wired exactly as `npm start` wires it (startGateway), with the configuration
 * bench/main.ts passes in the environment. Logs at LOG_LEVEL go to /dev/null: their cost counts,
 * their volume does not fill the terminal. On request, a CPU profile of a stretch of its life
 * (the inspector's sampling profiler, the one `node --cpu-prof` uses), so start-up is left out.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { destination } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startGateway } from '../../src/start.ts';
import { serve } from '../child.ts';

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel, destination({ dest: '/dev/null', sync: false }));
const gateway = await startGateway(config, logger);
let session: Session | undefined;

serve(
  gateway.url,
  () => gateway.close(),
  async (message) => {
    switch (message.type) {
      case 'profile-start':
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        return null;
      case 'profile-stop': {
        if (session === undefined) throw new Error('no profile was started');
        const { profile } = await session.post('Profiler.stop');
        session.disconnect();
        writeFileSync(String(message.file), JSON.stringify(profile));
        return null;
      }
      default:
        throw new Error(`unknown command ${message.type}`);
    }
  },
);
