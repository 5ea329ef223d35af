// Decoding a <TelServiceRequest> tree into typed requests. Anything malformed, unknown, missing or out of
// range raises RejectError, answered with <reject/> (digest §3.2 step 1). Field order is not enforced
// (lenient, digest §1.6); booleans and enums accept the XER form (<true/>) and the text form (true).
import { forwardTypes, type ForwardType, type RequestableAgentState } from '../pbx/types.js';
import { child, childrenNamed, type XmlNode } from './xml.js';

export class RejectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectError';
  }
}

export interface PartyInput {
  number: string;
  name: string;
  numberType?: 'work' | 'home' | 'mobile' | 'ip';
  company?: string;
}

export interface RoutingPointConfigInput {
  wrapUpSec?: number;
  agentNoAnswerSec?: number;
  immediateAbandonSec?: number;
  agentReadyOnLoggedOn?: boolean;
}

type Dev = { deviceNumber: string };
type TwoCalls = Dev & { primOtherNumber?: string; secOtherNumber?: string };

export type TelServicesRequest =
  | ({ op: 'openSession' } & Dev & {
        eventUDPPort?: number;
        eventUpdate: 'full' | 'restricted';
        userID?: string;
        userPassword?: string;
        sessionTimeout?: number;
        startPbxMonitor: boolean;
      })
  | ({ op: 'closeSession' } & Dev & { actualCloseSessionTimeout: number; clientOnly: boolean; eventUDPPort?: number })
  | ({ op: 'addPartyToCall' } & Dev & { otherNumber?: string; addedDeviceNumber: string; extraData?: string })
  | ({ op: 'agentState' } & Dev & { state: RequestableAgentState })
  | ({ op: 'alternateCall' | 'conferenceCall' | 'reconnectCall' | 'transferCall' } & TwoCalls)
  | ({ op: 'answerCall' } & Dev & { callingNumber?: string })
  | ({ op: 'consultationCall' } & Dev & { otherNumber?: string; consultedDeviceNumber: string; extraData?: string })
  | ({ op: 'divertCall' } & Dev & { otherNumber?: string; divertedDeviceNumber: string; extraData?: string })
  | ({ op: 'doNotDisturb' } & Dev & { on: boolean })
  | ({ op: 'dropCall' | 'holdCall' | 'retrieveCall' } & Dev & { otherNumber?: string })
  | ({ op: 'forward' } & Dev & { number: string; type: ForwardType; on: boolean })
  | ({ op: 'makeCall' } & Dev & { calledDeviceNumber: string; extraData?: string })
  | ({ op: 'qualifyCall' } & Dev & { answerCall: boolean; needName: boolean })
  | ({ op: 'queryAgentState' | 'queryDoNotDisturb' | 'queryForward' | 'queryMsgWaiting' } & Dev)
  | {
      op: 'queryHistory';
      recordType: 'call' | 'agent' | 'all';
      deviceNumber?: string;
      userID?: string;
      startDate?: string;
      startHour?: number;
      endDate?: string;
      search?: string;
      limit?: number;
    }
  | ({ op: 'queryUserStatistics' } & Dev & { userID?: string; type: 'snapshot' | 'total' })
  | { op: 'searchName'; userID?: string; deviceNumber?: string; name: string; limit?: number }
  | { op: 'searchNumber'; userID?: string; deviceNumber?: string; number: string }
  | ({ op: 'snapshot' } & Dev & { resultOnEvent?: { timeout: number; snapshotSeq: number } })
  | { op: 'updateUserDirectory'; userID: string; directoryName: string; parties: PartyInput[] }
  | { op: 'queryRoutingPointState' | 'resumeRoutingPoint' | 'stopRoutingPoint' | 'suspendRoutingPoint'; service: string }
  | { op: 'queryRoutingPointStatistics'; service: string; type: 'snapshot' | 'total' }
  | { op: 'startRoutingPoint' | 'updateRoutingPoint'; service: string; config: RoutingPointConfigInput }
  | { op: 'updateDirectory'; directoryName: string };

export type OperationName = TelServicesRequest['op'];

/** The 36 request elements of the manual. */
export const operationNames: readonly OperationName[] = [
  'openSession',
  'closeSession',
  'addPartyToCall',
  'agentState',
  'alternateCall',
  'answerCall',
  'conferenceCall',
  'consultationCall',
  'divertCall',
  'doNotDisturb',
  'dropCall',
  'forward',
  'holdCall',
  'makeCall',
  'qualifyCall',
  'queryAgentState',
  'queryDoNotDisturb',
  'queryForward',
  'queryHistory',
  'queryMsgWaiting',
  'queryUserStatistics',
  'reconnectCall',
  'retrieveCall',
  'searchName',
  'searchNumber',
  'snapshot',
  'transferCall',
  'updateUserDirectory',
  'queryRoutingPointState',
  'queryRoutingPointStatistics',
  'resumeRoutingPoint',
  'startRoutingPoint',
  'stopRoutingPoint',
  'suspendRoutingPoint',
  'updateRoutingPoint',
  'updateDirectory',
];

/** Reads the fields of one operation element. */
class Fields {
  constructor(private readonly node: XmlNode) {}

  str(name: string): string {
    const v = this.optStr(name);
    if (v === undefined) throw new RejectError(`${this.node.name}: missing ${name}`);
    return v;
  }

  optStr(name: string): string | undefined {
    const c = child(this.node, name);
    if (!c) return undefined;
    if (c.children.length > 0) throw new RejectError(`${this.node.name}: ${name} must be text`);
    return c.text;
  }

  number(name: string): string {
    const v = this.str(name);
    if (v === '') throw new RejectError(`${this.node.name}: empty ${name}`);
    return v;
  }

  optNumber(name: string): string | undefined {
    const v = this.optStr(name);
    return v === '' ? undefined : v;
  }

  optInt(name: string): number | undefined {
    const v = this.optStr(name);
    if (v === undefined) return undefined;
    if (!/^[-+]?\d{1,12}$/.test(v)) throw new RejectError(`${this.node.name}: ${name} is not an integer`);
    return Number(v);
  }

  int(name: string): number {
    const v = this.optInt(name);
    if (v === undefined) throw new RejectError(`${this.node.name}: missing ${name}`);
    return v;
  }

  /** An ENUMERATED value: `<name><value/></name>` (or text). */
  optChoice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const c = child(this.node, name);
    if (!c) return undefined;
    return choiceOf(c, allowed, `${this.node.name}/${name}`);
  }

  choice<T extends string>(name: string, allowed: readonly T[]): T {
    const v = this.optChoice(name, allowed);
    if (v === undefined) throw new RejectError(`${this.node.name}: missing ${name}`);
    return v;
  }

  optBool(name: string): boolean | undefined {
    const v = this.optChoice(name, ['true', 'false'] as const);
    return v === undefined ? undefined : v === 'true';
  }

  node_(name: string): XmlNode | undefined {
    return child(this.node, name);
  }
}

function choiceOf<T extends string>(node: XmlNode, allowed: readonly T[], where: string): T {
  let value: string;
  if (node.children.length === 1 && node.children[0] && node.children[0].children.length === 0 && node.children[0].text === '') value = node.children[0].name;
  else if (node.children.length === 0 && node.text !== '') value = node.text;
  else throw new RejectError(`${where}: expected one value element`);
  if (!(allowed as readonly string[]).includes(value)) throw new RejectError(`${where}: invalid value ${value}`);
  return value as T;
}

const requestableStates = ['loggedOff', 'loggedOn', 'notReady', 'ready', 'workingAfterCall'] as const;
const numberTypes = ['work', 'home', 'mobile', 'ip'] as const;

/** Decode the root element of a request. */
export function decodeRequest(root: XmlNode): TelServicesRequest {
  if (root.name !== 'TelServiceRequest') throw new RejectError(`root must be TelServiceRequest, not ${root.name}`);
  if (root.children.length !== 1 || !root.children[0]) throw new RejectError('TelServiceRequest must hold exactly one operation');
  const opNode = root.children[0];
  const op = opNode.name as OperationName;
  if (!operationNames.includes(op)) throw new RejectError(`unknown operation ${opNode.name}`);
  const f = new Fields(opNode);
  switch (op) {
    case 'openSession': {
      const timeout = f.optInt('sessionTimeout');
      return {
        op,
        deviceNumber: f.number('deviceNumber'),
        eventUDPPort: port(f.optInt('eventUDPPort')),
        eventUpdate: f.optChoice('eventUpdate', ['full', 'restricted'] as const) ?? 'full',
        userID: f.optStr('userID'),
        userPassword: f.optStr('userPassword'),
        // "must be positive otherwise ignored" (L222)
        sessionTimeout: timeout !== undefined && timeout > 0 ? timeout : undefined,
        startPbxMonitor: f.optBool('startPbxMonitor') ?? true,
      };
    }
    case 'closeSession':
      return {
        op,
        deviceNumber: f.number('deviceNumber'),
        actualCloseSessionTimeout: Math.max(0, f.optInt('actualCloseSessionTimeout') ?? 0),
        clientOnly: f.optBool('clientOnly') ?? true,
        // Not in the manual: lets one of several clients on one IP say which one it is (digest §7 #7).
        eventUDPPort: port(f.optInt('eventUDPPort')),
      };
    case 'addPartyToCall':
      return { op, deviceNumber: f.number('deviceNumber'), otherNumber: f.optNumber('otherNumber'), addedDeviceNumber: f.number('addedDeviceNumber'), extraData: f.optStr('extraData') };
    case 'agentState': {
      const state = f.choice('state', ['null', 'busy', ...requestableStates] as const);
      // null and busy exist but cannot be requested (L309).
      if (state === 'null' || state === 'busy') throw new RejectError(`agent state ${state} cannot be requested`);
      return { op, deviceNumber: f.number('deviceNumber'), state };
    }
    case 'alternateCall':
    case 'conferenceCall':
    case 'reconnectCall':
    case 'transferCall':
      return { op, deviceNumber: f.number('deviceNumber'), primOtherNumber: f.optNumber('primOtherNumber'), secOtherNumber: f.optNumber('secOtherNumber') };
    case 'answerCall':
      return { op, deviceNumber: f.number('deviceNumber'), callingNumber: f.optNumber('callingNumber') };
    case 'consultationCall':
      return { op, deviceNumber: f.number('deviceNumber'), otherNumber: f.optNumber('otherNumber'), consultedDeviceNumber: f.number('consultedDeviceNumber'), extraData: f.optStr('extraData') };
    case 'divertCall':
      return { op, deviceNumber: f.number('deviceNumber'), otherNumber: f.optNumber('otherNumber'), divertedDeviceNumber: f.number('divertedDeviceNumber'), extraData: f.optStr('extraData') };
    case 'doNotDisturb':
      return { op, deviceNumber: f.number('deviceNumber'), on: f.choice('state', ['on', 'off'] as const) === 'on' };
    case 'dropCall':
    case 'holdCall':
    case 'retrieveCall':
      return { op, deviceNumber: f.number('deviceNumber'), otherNumber: f.optNumber('otherNumber') };
    case 'forward': {
      // The parameter list names it "forward", the example wraps it in <info> (digest §7 #9): accept both.
      const info = f.node_('info') ?? f.node_('forward');
      if (!info) throw new RejectError('forward: missing info');
      const fi = new Fields(info);
      const on = fi.choice('state', ['on', 'off'] as const) === 'on';
      const number = on ? fi.number('number') : (fi.optStr('number') ?? '');
      return { op, deviceNumber: f.number('deviceNumber'), number, type: fi.choice('type', forwardTypes), on };
    }
    case 'makeCall':
      return { op, deviceNumber: f.number('deviceNumber'), calledDeviceNumber: f.number('calledDeviceNumber'), extraData: f.optStr('extraData') };
    case 'qualifyCall':
      return { op, deviceNumber: f.number('deviceNumber'), answerCall: f.optBool('answerCall') ?? true, needName: f.optBool('needName') ?? true };
    case 'queryAgentState':
    case 'queryDoNotDisturb':
    case 'queryForward':
    case 'queryMsgWaiting':
      return { op, deviceNumber: f.number('deviceNumber') };
    case 'queryHistory': {
      const startDate = date(f.optStr('startDate'), 'startDate');
      const endDate = date(f.optStr('endDate'), 'endDate');
      const startHour = f.optInt('startHour');
      if (startHour !== undefined && (startHour < 0 || startHour > 23)) throw new RejectError('queryHistory: startHour out of range');
      return {
        op,
        recordType: f.optChoice('recordType', ['call', 'agent', 'all'] as const) ?? 'call',
        deviceNumber: f.optNumber('deviceNumber'),
        userID: f.optStr('userID') || undefined,
        startDate,
        startHour,
        endDate,
        search: f.optStr('search') || undefined,
        limit: nonNegative(f.optInt('limit'), 'limit'),
      };
    }
    case 'queryUserStatistics':
      return { op, deviceNumber: f.number('deviceNumber'), userID: f.optStr('userID'), type: f.choice('type', ['snapshot', 'total'] as const) };
    case 'searchName':
      return { op, userID: f.optStr('userID') || undefined, deviceNumber: f.optNumber('deviceNumber'), name: f.str('name'), limit: nonNegative(f.optInt('limit'), 'limit') };
    case 'searchNumber':
      return { op, userID: f.optStr('userID') || undefined, deviceNumber: f.optNumber('deviceNumber'), number: f.number('number') };
    case 'snapshot': {
      const roe = f.node_('resultOnEvent');
      let resultOnEvent: { timeout: number; snapshotSeq: number } | undefined;
      if (roe) {
        const rf = new Fields(roe);
        resultOnEvent = { timeout: rf.int('timeout'), snapshotSeq: rf.optInt('snapshotSeq') ?? 0 };
      }
      return { op, deviceNumber: f.number('deviceNumber'), resultOnEvent };
    }
    case 'updateUserDirectory': {
      const userID = f.optStr('userID') || f.optNumber('deviceNumber');
      if (!userID) throw new RejectError('updateUserDirectory: needs userID or deviceNumber');
      const partiesNode = f.node_('parties');
      if (!partiesNode) throw new RejectError('updateUserDirectory: missing parties');
      const parties = childrenNamed(partiesNode, 'party').map((p) => {
        const pf = new Fields(p);
        return { number: pf.number('number'), name: pf.str('name'), numberType: pf.optChoice('numberType', numberTypes), company: pf.optStr('company') };
      });
      return { op, userID, directoryName: f.number('directoryName'), parties };
    }
    case 'queryRoutingPointState':
    case 'resumeRoutingPoint':
    case 'stopRoutingPoint':
    case 'suspendRoutingPoint':
      return { op, service: f.number('service') };
    case 'queryRoutingPointStatistics':
      return { op, service: f.number('service'), type: f.choice('type', ['snapshot', 'total'] as const) };
    case 'startRoutingPoint':
    case 'updateRoutingPoint': {
      const cfg = f.node_('config');
      return { op, service: f.number('service'), config: cfg ? routingPointConfig(new Fields(cfg)) : {} };
    }
    case 'updateDirectory':
      return { op, directoryName: f.number('directoryName') };
  }
}

/** The routing-point config fields the simulator acts on; the others are accepted and ignored (no dialler). */
function routingPointConfig(f: Fields): RoutingPointConfigInput {
  return {
    wrapUpSec: nonNegative(f.optInt('agentWorkingAfterCallTimeout'), 'agentWorkingAfterCallTimeout'),
    agentNoAnswerSec: nonNegative(f.optInt('noAnswerTimeout'), 'noAnswerTimeout'),
    immediateAbandonSec: nonNegative(f.optInt('statisticsIncomingCallImmediateAbandonTimeout'), 'statisticsIncomingCallImmediateAbandonTimeout'),
    agentReadyOnLoggedOn: f.optBool('agentReadyOnLoggedOn'),
  };
}

function port(v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v < 1 || v > 65535) throw new RejectError('eventUDPPort out of range');
  return v;
}

function nonNegative(v: number | undefined, name: string): number | undefined {
  if (v !== undefined && v < 0) throw new RejectError(`${name} must not be negative`);
  return v;
}

function date(v: string | undefined, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new RejectError(`${name} must be yyyy-MM-dd`);
  return v;
}

/** The deviceNumber a request names, if any (sessionTimeout is reset by each request naming the device). */
export function deviceOf(req: TelServicesRequest): string | undefined {
  return 'deviceNumber' in req ? req.deviceNumber : undefined;
}
