// The built-in profiles the app starts with: the lab PBX's front-ends on loopback. The TelServices
// demo is always there; the O2G demo exists when the lab's O2G front-end runs in this process
// (its certificate is generated at start, so the profile trusts that file); the TWS demo when the
// lab's TWS front-end runs.
import { Profile, type ProfileSecret } from '../../shared/profile.js';

export const DEMO_PROFILE_ID = 'demo';
export const DEMO_PROFILE_NAME = 'Lab PBX (demo)';
export const DEMO_O2G_PROFILE_ID = 'demo-o2g';
export const DEMO_O2G_PROFILE_NAME = 'Lab PBX, O2G (demo)';
export const DEMO_TWS_PROFILE_ID = 'demo-tws';
export const DEMO_TWS_PROFILE_NAME = 'Lab PBX, TWS (demo)';
export const DEMO_IV_PROFILE_ID = 'demo-instantvoice';
export const DEMO_IV_PROFILE_NAME = 'Lab PBX, InstantVoice (demo)';
export const DEMO_CTIPS_PROFILE_ID = 'demo-ctips';
export const DEMO_CTIPS_PROFILE_NAME = 'Lab PBX, CTIPS (demo)';

const demoScreenPop = { urlTemplate: 'https://crm.example.com/customers?phone={number}&customer={data.customerId}', autoOpen: false };

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
    screenPop: demoScreenPop,
    notReadyReasons: ['Break', 'Lunch', 'Training', 'Meeting', 'Coaching'],
    // The lab's colleagues at 1102 and 1103 (people at desktops) and a virtual one at 1105.
    quickConnects: [
      { label: 'Team lead', number: '1102' },
      { label: 'Back office', number: '1103' },
      { label: 'Emma (billing)', number: '1105' },
    ],
  });
}

/** Where the lab's O2G front-end listens, and the certificate file it generated. */
export interface LabO2g {
  host: string;
  port: number;
  secondaryPort?: number;
  caFile: string;
}

export function demoO2gProfile(lab: LabO2g): Profile {
  return Profile.parse({
    id: DEMO_O2G_PROFILE_ID,
    name: DEMO_O2G_PROFILE_NAME,
    device: '70123',
    agentId: 'agent1',
    connection: {
      vendor: 'o2g',
      primary: { host: lab.host, port: lab.port, https: true },
      secondary: lab.secondaryPort ? { host: lab.host, port: lab.secondaryPort, https: true } : null,
      login: 'agent1',
      tls: { caFile: lab.caFile },
    },
    keepAliveSec: 5,
    screenPop: demoScreenPop,
  });
}

/** Where the lab's TWS front-end listens: web services over HTTP, the user event socket, the WebSocket feed. */
export interface LabTws {
  host: string;
  port: number;
  tcpPort: number;
  wsPort: number;
}

/** The lab's TWS user of the manual's conformance fixture: Hector Piaple on 4694, ACD agent 1000 in group 1100. */
export function demoTwsProfile(lab: LabTws): Profile {
  return Profile.parse({
    id: DEMO_TWS_PROFILE_ID,
    name: DEMO_TWS_PROFILE_NAME,
    device: '4694',
    agentId: '1000',
    connection: {
      vendor: 'tws',
      host: lab.host,
      port: lab.port,
      username: 'hpiaple',
      tcpPort: lab.tcpPort,
      wsPort: lab.wsPort,
      agentGroup: '1100',
      colleagues: ['4594', '3000'],
    },
    keepAliveSec: 5,
    screenPop: demoScreenPop,
  });
}

/** Where the lab's InstantVoice ACD is reached: the STOMP broker it is a client of, and its IVWS web service. */
export interface LabInstantVoice {
  host: string;
  stompPort: number;
  brokerUser: string;
  brokerPassword: string;
  vhost: string;
  ivwsHost: string;
  ivwsPort: number;
}

/** The guide's example agent: default_1001 on SIP/default_0001, with the administrator role so the demo shows every view. */
export function demoInstantVoiceProfile(lab: LabInstantVoice): Profile {
  return Profile.parse({
    id: DEMO_IV_PROFILE_ID,
    name: DEMO_IV_PROFILE_NAME,
    device: '0001',
    agentId: '1001',
    connection: {
      vendor: 'instantvoice',
      host: lab.host,
      port: lab.stompPort,
      brokerUser: lab.brokerUser,
      vhost: lab.vhost,
      accountcode: 'default',
      pauseReasons: [
        { id: '1', label: 'Lunch' },
        { id: '2', label: 'Break' },
      ],
      role: 'admin',
      ivws: { host: lab.ivwsHost, port: lab.ivwsPort, https: false },
    },
    keepAliveSec: 5,
    screenPop: demoScreenPop,
  });
}

/** Where the lab's CTIPS portals listen: the Active/Active pair, in failover order. */
export interface LabCtips {
  host: string;
  ports: number[];
}

/**
 * The lab portal's agent agent1102 at station 1102 (the lab's fixture), as a supervisor so the demo
 * shows the team and the services; the portal account is the manual's sample Test01. The event
 * service listens on loopback only, on a free port.
 */
export function demoCtipsProfile(lab: LabCtips): Profile {
  return Profile.parse({
    id: DEMO_CTIPS_PROFILE_ID,
    name: DEMO_CTIPS_PROFILE_NAME,
    device: '1102',
    agentId: 'agent1102',
    connection: {
      vendor: 'ctips',
      portals: lab.ports.map((port) => ({ host: lab.host, port, https: false })),
      userName: 'Test01',
      tenantId: 1,
      callback: { bindHost: lab.host, port: 0 },
      role: 'supervisor',
      initialState: 'NotReady',
      logoutReasons: [
        { id: '1', label: 'End of shift' },
        { id: '2', label: 'Meeting' },
      ],
      dispositions: [
        { id: '1', label: 'Resolved' },
        { id: '2', label: 'Call back' },
        { id: '3', label: 'Sale' },
      ],
      rejectReasons: [
        { id: '1', label: 'On another task' },
        { id: '2', label: 'Wrong skill' },
      ],
    },
    keepAliveSec: 5,
    screenPop: demoScreenPop,
    notReadyReasons: ['Break', 'Lunch', 'Training'],
  });
}

/**
 * The lab PBX's demo passwords (its fixtures, main/simulator/pbx/config.ts and main/simulator/o2g).
 * Not secrets: they only open the built-in lab, and they are never written anywhere.
 */
const demoSecrets: Record<string, ProfileSecret> = {
  [DEMO_PROFILE_ID]: { password: '1234' },
  [DEMO_O2G_PROFILE_ID]: { password: '1111' },
  // The manual's sample portal account (Appendix D, L2685–L2686).
  [DEMO_CTIPS_PROFILE_ID]: { password: 'Test01' },
  // The manual's example user API key (its conformance fixture's "KU").
  [DEMO_TWS_PROFILE_ID]: {
    password: 'pw4694',
    apiKey: 'rUL6jwLZ/MzO0zxPRINMJYUC6ul/vYkxY39fsR4tLXcIMLpXKBpwddC7me506Vfd059DBf6Y9eFr8NsjC/wUg==',
    agentPassword: 'x',
  },
};

/** The InstantVoice demo's broker password comes from the lab (a broker given with --stomp has its own). */
let demoBrokerPassword = 'sT0MpM3';

export function setDemoBrokerPassword(password: string): void {
  demoBrokerPassword = password;
}

export function demoSecret(id: string): ProfileSecret | null {
  // The guide's example access key, permitted for every method in the lab's fixture.
  if (id === DEMO_IV_PROFILE_ID) return { password: demoBrokerPassword, apiKey: 'f054bbd2f5ebab9' };
  const s = demoSecrets[id];
  return s ? { ...s } : null;
}
