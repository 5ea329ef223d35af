// The lab PBX's configuration and its default fixture (devices, agents, queue, directory).
import type { AgentState, RoutingPointState } from './types.js';

export interface DeviceConfig {
  number: string;
  /** The user's display name (not in the directory: the manual's examples show internal callers without names). */
  name?: string;
  /** Accept a second incoming call while busy; otherwise callers get `busy`. */
  callWaiting?: boolean;
  /** Virtual colleague: answer alerting calls after this many ms. */
  autoAnswerMs?: number;
  /** Virtual colleague: hang up connected calls after this many ms. */
  autoHangupMs?: number;
  mwi?: boolean;
}

export interface AgentConfig {
  device: string;
  userID: string;
  /** Checked by the PBX when a client presents agent credentials; absent = any password. */
  password?: string;
  inboundServices: string[];
  outboundServices?: string[];
  /** Wrap-up after an ACD call, in seconds; 0 = straight back to ready. */
  wrapUpSec: number;
  initialState: Exclude<AgentState, 'null' | 'busy'>;
}

export interface QueueConfig {
  service: string;
  /** Pilot numbers that route to this queue (O2G/OXE CCD: pilot → waiting queue → processing group). */
  pilots?: string[];
  direction: 'inbound' | 'outbound';
  state: RoutingPointState;
  /** Where calls go while the routing point is suspended; absent = callers hear busy. */
  failureRoute?: string;
  /** An ACD call not answered within this many seconds goes back to the queue and the agent to notReady; 0 = never. */
  agentNoAnswerSec: number;
  /** Calls abandoned faster than this are counted as "abandoned immediately". */
  immediateAbandonSec: number;
  agentReadyOnLoggedOn: boolean;
}

export interface DirectoryEntry {
  number: string;
  name: string;
  numberType?: 'work' | 'home' | 'mobile' | 'ip';
  company?: string;
}

export interface PbxConfig {
  devices: DeviceConfig[];
  agents: AgentConfig[];
  queues: QueueConfig[];
  /** The shared directory, visible to every user. */
  directory: DirectoryEntry[];
  /** An outside number that is called answers after this many ms; negative = never answers. */
  externalAnswerMs: number;
  /** Outside numbers that are always busy / not obtainable. */
  busyNumbers: string[];
  unobtainableNumbers: string[];
  /** No-answer forwards trigger after this many ms of ringing. */
  noAnswerForwardMs: number;
  /** Length of one protocol "second" in ms (timeouts, durations, wrap-up); tests shrink it. */
  msPerSecond: number;
}

const agentDevice = (device: string, initialState: AgentConfig['initialState'] = 'loggedOff'): AgentConfig => ({
  device,
  userID: `agent${device}`,
  password: '1234',
  inboundServices: ['service1'],
  wrapUpSec: 30,
  initialState,
});

/** The default lab: 1101–1104 for people at desktops, 1105–1108 for virtual colleagues. */
export function defaultPbxConfig(): PbxConfig {
  return {
    devices: [
      { number: '1101', name: 'Alice Bernard' },
      { number: '1102', name: 'Bruno Carpentier' },
      { number: '1103', name: 'Chloé Dumas' },
      { number: '1104', name: 'David Etienne' },
      { number: '1105', name: 'Emma Fournier' },
      { number: '1106', name: 'Farid Guerin' },
      { number: '1107', name: 'Gaelle Henry' },
      { number: '1108', name: 'Hugo Lambert' },
    ],
    agents: [agentDevice('1101'), agentDevice('1104'), agentDevice('1105'), agentDevice('1106'), agentDevice('1107'), agentDevice('1108')],
    queues: [
      {
        service: 'service1',
        direction: 'inbound',
        state: 'started-running',
        agentNoAnswerSec: 0,
        immediateAbandonSec: 5,
        agentReadyOnLoggedOn: false,
      },
    ],
    directory: [
      // The manual's entries (searchName/searchNumber examples).
      { number: '+801', name: 'Marcel Jagger', numberType: 'work', company: 'uniGone' },
      { number: '+33160127764', name: 'Martin Jagger', numberType: 'home', company: 'uniGone' },
      // A few realistic customers; no name starts with "Mar" and no company with "unig", so the manual's examples stay exact.
      { number: '0612345678', name: 'Sophie Lefebvre', numberType: 'mobile', company: 'Lefebvre Immobilier' },
      { number: '0145678901', name: 'Jean Moreau', numberType: 'work', company: 'Transports Moreau' },
      { number: '0478123456', name: 'Nathalie Roux', numberType: 'work', company: 'Pharmacie du Parc' },
      { number: '+41223456789', name: 'Thomas Keller', numberType: 'work', company: 'Keller Uhren AG' },
      { number: '0699887766', name: 'Camille Petit', numberType: 'mobile' },
      { number: '0240112233', name: 'Olivier Garnier', numberType: 'home' },
    ],
    externalAnswerMs: 2000,
    busyNumbers: ['0600000001'],
    unobtainableNumbers: ['0600000000'],
    noAnswerForwardMs: 15_000,
    msPerSecond: 1000,
  };
}

/**
 * The O2G lab's part of the fixture (digest 003 §7): OXE-style 5-digit extensions, the CCD pilot 60100 that
 * routes to processing group 60121, and the voice-mail server. Added to the default lab only when the O2G
 * front-end runs, so the TelServices lab (devices 1101–1108, queue service1) stays exactly as its manual shows.
 */
export function o2gPbxFixture(): Pick<PbxConfig, 'devices' | 'agents' | 'queues' | 'directory'> {
  const ccdAgent = (device: string, userID: string): AgentConfig => ({ device, userID, inboundServices: ['60121'], wrapUpSec: 30, initialState: 'loggedOff' });
  return {
    devices: [
      { number: '70100', name: 'Philippe Renard' },
      { number: '70123', name: 'Isabelle Marchand' },
      { number: '70125', name: 'Jean Dupont' },
      { number: '70126', name: 'Karine Lopez' },
      { number: '70129', name: 'Marc Vidal' },
      { number: '70130', name: 'Lucas Perrot' },
      // The voice-mail server (4645): takes every call it is given, plays the greeting, records, hangs up.
      { number: '70999', name: 'Messagerie vocale', callWaiting: true, autoAnswerMs: 1500, autoHangupMs: 20_000 },
    ],
    agents: [ccdAgent('70123', 'agent1'), ccdAgent('70125', 'agent2'), ccdAgent('70100', 'sup1')],
    queues: [
      {
        service: '60121',
        pilots: ['60100'],
        direction: 'inbound',
        state: 'started-running',
        agentNoAnswerSec: 0,
        immediateAbandonSec: 5,
        agentReadyOnLoggedOn: false,
      },
    ],
    directory: [
      { number: '0561234567', name: 'Bernard Dufresne', numberType: 'work', company: 'Dufresne Électricité' },
      { number: '0387654321', name: 'Aurélie Masson', numberType: 'work', company: 'Clinique Saint-Luc' },
    ],
  };
}

/**
 * The TWS lab's part of the fixture (digest 000 §8 plus the manual's own example devices): the users' sets
 * 4694/4594/3000, the park slot 5000, the ACD pilot 6000 of processing group 1100 (agent 1000 on 4694), and the
 * manual's example sets 1000/2000/4000/100/101 (agent 100 in group 110). Added only when the TWS front-end
 * runs, so the other vendors' fixtures stay exactly as their manuals show.
 */
export function twsPbxFixture(): Pick<PbxConfig, 'devices' | 'agents' | 'queues' | 'directory'> {
  const queue = (service: string, pilots: string[]): QueueConfig => ({
    service,
    pilots,
    direction: 'inbound',
    state: 'started-running',
    agentNoAnswerSec: 0,
    immediateAbandonSec: 5,
    agentReadyOnLoggedOn: false,
  });
  return {
    devices: [
      { number: '4694', name: 'Hector Piaple' },
      { number: '4594', name: 'test Me' },
      { number: '3000', name: 'Poste 3000' },
      { number: '5000', name: 'Parking 5000' },
      { number: '1000', name: 'Poste 1000' },
      { number: '2000', name: 'Poste 2000' },
      { number: '4000', name: 'Poste 4000' },
      { number: '100', name: 'Agent 100' },
      { number: '101', name: 'Poste 101' },
    ],
    agents: [
      { device: '4694', userID: '1000', password: 'x', inboundServices: ['1100'], wrapUpSec: 0, initialState: 'loggedOff' },
      { device: '100', userID: '100', password: 'x', inboundServices: ['110'], wrapUpSec: 0, initialState: 'loggedOff' },
    ],
    queues: [queue('1100', ['6000']), queue('110', [])],
    directory: [{ number: '0141906666', name: 'Françoise Martin', numberType: 'work', company: 'Algo' }],
  };
}

/**
 * The InstantVoice lab's part of the fixture: the SIP users' phones. An agent's interface SIP/<accountcode>_<name>
 * is the core device <name> (SIP/default_0001 = 0001). The guide's destination 6100 is a set that answers after 0.5 s; outside callers
 * (2198765456) need no device. Added only when the InstantVoice front-end runs.
 */
export function instantVoicePbxFixture(): Pick<PbxConfig, 'devices' | 'agents' | 'queues' | 'directory'> {
  return {
    devices: [
      { number: '0001', name: 'SIP default_0001' },
      { number: '0002', name: 'SIP default_0002' },
      { number: '0003', name: 'SIP default_0003' },
      { number: '1111', name: 'SIP default_1111' },
      // The guide's NewCall/BlindTransfer destination: a short number, so an internal set that answers by itself.
      { number: '6100', name: 'Destination 6100', callWaiting: true, autoAnswerMs: 500 },
    ],
    agents: [],
    queues: [],
    directory: [],
  };
}

/** The default config with `partial` laid over it (top-level keys replace); `fixtures` adds a front-end's part of the lab. */
export function pbxConfig(partial: Partial<PbxConfig> = {}, fixtures: { o2g?: boolean; tws?: boolean; instantvoice?: boolean } = {}): PbxConfig {
  const base = defaultPbxConfig();
  const parts = [...(fixtures.o2g ? [o2gPbxFixture()] : []), ...(fixtures.tws ? [twsPbxFixture()] : []), ...(fixtures.instantvoice ? [instantVoicePbxFixture()] : [])];
  for (const part of parts) {
    base.devices.push(...part.devices);
    base.agents.push(...part.agents);
    base.queues.push(...part.queues);
    base.directory.push(...part.directory);
  }
  return { ...base, ...partial };
}
