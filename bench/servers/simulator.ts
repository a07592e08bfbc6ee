/** The Flinks simulator in a process of its own, driven by bench/main.ts (faults, stop, start). */
import type { Faults } from '../../src/simulator/index.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { serve } from '../child.ts';

const running = await startSimulator({
  port: 0,
  recordCalls: false,
  // Lets (a), (b) and (c) send one /Authorize without minting a token first; the gateway still
  // mints a real token for each of its calls, and the counts below show how many.
  anyAuthorizeToken: true,
});

serve(
  running.url,
  () => running.close(),
  (message) => {
    switch (message.type) {
      case 'faults':
        running.simulator.setFaults(message.faults as Faults);
        return null;
      case 'stop':
        return running.stop();
      case 'start':
        return running.start();
      case 'counts':
        return {
          token: running.simulator.countCalls('GenerateAuthorizeToken'),
          authorize: running.simulator.countCalls('Authorize'),
        };
      default:
        throw new Error(`unknown command ${message.type}`);
    }
  },
);
