// The built-in profile the app starts with: the lab PBX's TelServices front-end on loopback.
import { Profile } from '../../shared/profile.js';

export const DEMO_PROFILE_ID = 'demo';
export const DEMO_PROFILE_NAME = 'Lab PBX (demo)';

export function demoProfile(labPort: number): Profile {
  return Profile.parse({
    id: DEMO_PROFILE_ID,
    name: DEMO_PROFILE_NAME,
    device: '1101',
    agentId: 'agent1101',
    connection: {
      vendor: 'telservices',
      host: '127.0.0.1',
      port: labPort,
      // Loopback, so the demo never opens an event port to the network.
      udpBind: '127.0.0.1',
    },
    keepAliveSec: 2,
    screenPop: { urlTemplate: 'https://crm.example.com/customers?phone={number}&customer={data.customerId}', autoOpen: false },
    notReadyReasons: ['Break', 'Lunch', 'Training', 'Meeting', 'Coaching'],
  });
}

/**
 * The lab PBX's demo agent password (its fixture, main/simulator/pbx/config.ts). Not a secret:
 * it only opens the built-in lab, and it is never written anywhere.
 */
export const DEMO_AGENT_SECRET = { password: '1234' } as const;
