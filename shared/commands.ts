// Normalized commands, their results and the typed errors every connector returns.
import { z } from 'zod';
import { NextAgentStateKind } from './next-state.js';
import { AgentStateKind, CallData, ForwardType, overflowTypes, PhoneNumber } from './model.js';

const callId = z.string().min(1).max(256);
/** A dialable string as the agent typed it: digits, '+', '*', '#', spaces and separators. */
export const Dialable = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[0-9+*#() .\-A-Da-d]+$/, 'use digits, + * # and separators only');

export const Command = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('makeCall'), to: Dialable, data: CallData.optional() }),
  /** Call the last number dialled from this phone again, as the PBX remembers it (TWS_Bis). */
  z.object({ kind: z.literal('redial') }),
  z.object({ kind: z.literal('answer'), callId }),
  z.object({ kind: z.literal('clear'), callId }),
  /** Refuse an offered call, with one of the site's reject reason codes. */
  z.object({ kind: z.literal('reject'), callId, reason: z.string().regex(/^-?[0-9]{1,9}$/).optional() }),
  /** Wrap-up: the disposition of a call (without callId: the one AgentInfo.dispositionCallId names). */
  z.object({ kind: z.literal('setDisposition'), callId: callId.optional(), disposition: z.string().regex(/^-?[0-9]{1,9}$/), successful: z.boolean().default(true), endWrap: z.boolean().default(false) }),
  /** Log out as soon as the current call ends, with no wrap-up (CTIPS PanicLogout). */
  z.object({ kind: z.literal('panicLogout'), reason: z.string().regex(/^-?[0-9]{1,9}$/).optional() }),
  z.object({ kind: z.literal('hold'), callId }),
  z.object({ kind: z.literal('retrieve'), callId }),
  z.object({ kind: z.literal('consult'), callId, to: Dialable, data: CallData.optional() }),
  z.object({ kind: z.literal('alternate'), callId }),
  /** Consultative transfer when `to` is absent; blind (single-step) transfer to `to`. */
  z.object({ kind: z.literal('transfer'), callId, to: Dialable.optional() }),
  z.object({ kind: z.literal('conference'), callId }),
  z.object({ kind: z.literal('reconnect'), callId }),
  z.object({ kind: z.literal('redirect'), callId, to: Dialable }),
  z.object({ kind: z.literal('addParty'), callId, to: Dialable }),
  z.object({ kind: z.literal('sendDtmf'), callId, digits: z.string().regex(/^[0-9*#A-Da-d]{1,64}$/) }),
  z.object({ kind: z.literal('park'), callId, to: Dialable.optional() }),
  z.object({ kind: z.literal('pickup'), from: Dialable }),
  z.object({ kind: z.literal('setAgentState'), state: AgentStateKind, reason: z.string().max(128).optional() }),
  /** The state to go to once the current call and its wrap-up are over (null: drop it). The desk applies it, not the vendor. */
  z.object({ kind: z.literal('setNextAgentState'), state: NextAgentStateKind.nullable(), reason: z.string().max(128).optional() }),
  z.object({ kind: z.literal('setForward'), type: ForwardType, to: PhoneNumber.optional(), on: z.boolean() }),
  z.object({ kind: z.literal('setDnd'), on: z.boolean() }),
  z.object({ kind: z.literal('setCallData'), callId, data: CallData }),
  z.object({ kind: z.literal('snapshot') }),
  /** Check the CTI link now: probe a live session, or end the wait before the next reconnect attempt. */
  z.object({ kind: z.literal('checkLink') }),
  z.object({ kind: z.literal('record'), callId, action: z.enum(['start', 'stop', 'pause', 'resume']) }),
  z.object({ kind: z.literal('callBack'), callId }),
  z.object({ kind: z.literal('transactionCode'), callId, code: z.string().regex(/^[0-9]{1,16}$/, 'digits only') }),
  /** Take back a call parked on this device (`from` absent) or on another one. */
  z.object({ kind: z.literal('unpark'), from: Dialable.optional() }),
  /** Agent: ask for (on) or cancel (off) a supervisor's help. Supervisor: reject `agent`'s request. */
  z.object({ kind: z.literal('supervisorHelp'), on: z.boolean(), agent: Dialable.optional() }),
  /** Supervisor: join an agent's current call; without `agent`, change the mode of the current intrusion. */
  z.object({ kind: z.literal('intrude'), agent: Dialable.optional(), mode: z.enum(['listen', 'coach', 'barge']) }),
  z.object({ kind: z.literal('permanentListen'), agent: Dialable }),
  /** Supervisor: put a team member (`agent`, as the team roster numbers it) ready, not ready with a reason, or log them off. */
  z.object({ kind: z.literal('setTeamAgentState'), agent: z.string().trim().min(1).max(64), state: z.enum(['ready', 'notReady', 'loggedOff']), reason: z.string().max(128).optional() }),
  /** Supervisor: enter (on) or leave (off) an ACD group. */
  z.object({ kind: z.literal('setGroup'), group: z.string().trim().min(1).max(64), on: z.boolean() }),
  z.object({ kind: z.literal('setOverflow'), on: z.boolean(), type: z.enum(overflowTypes).default('busyNoAnswer'), to: z.enum(['voicemail', 'associate']).default('voicemail') }),
  /** Acknowledge missed calls of the vendor's log (call-log row ids); empty = all. */
  z.object({ kind: z.literal('acknowledgeMissed'), ids: z.array(z.string().min(1).max(256)).max(500).default([]) }),
]);
export type Command = z.infer<typeof Command>;
export type CommandKind = Command['kind'];
export const commandKinds = Command.options.map((o) => o.shape.kind.value) as CommandKind[];

/** Request/response queries (react-query in the renderer). */
export const DirectoryQuery = z.object({
  kind: z.literal('directory'),
  text: z.string().trim().min(1).max(128),
  limit: z.number().int().min(1).max(200).default(50),
});
export const VendorHistoryQuery = z.object({
  kind: z.literal('vendorHistory'),
  since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  text: z.string().max(128).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
export const QueueQuery = z.object({ kind: z.literal('queues') });
export const Query = z.discriminatedUnion('kind', [DirectoryQuery, VendorHistoryQuery, QueueQuery]);

/** Advertised with a session's capabilities when its vendor answers directory queries (the Directory tab). */
export const DIRECTORY_CAPABILITY = 'directory';
export type Query = z.infer<typeof Query>;

export const errorCodes = [
  'unsupported', // the vendor has no such command
  'notPermitted', // the vendor does not allow it in the current state
  'noCall', // no call in the expected state
  'invalid', // bad input
  'timeout', // no reply in time
  'unreachable', // connection refused / network down
  'linkDown', // CTI server up but its PBX link is down
  'rejected', // the server or PBX refused
  'authFailed', // credentials refused
  'sessionLost', // the server no longer knows our session
  'protocol', // malformed reply
  'notConnected', // no active session
  'limit', // licence or session limit
  'internal',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const CtiErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Vendor's own error token, e.g. TelServices 'pbxReject'. */
  vendorCode: z.string().optional(),
});
export type CtiErrorShape = z.infer<typeof CtiErrorShape>;

/** A typed error crossing every boundary (connector, supervisor, bridge). */
export class CtiError extends Error {
  readonly code: ErrorCode;
  readonly vendorCode: string | undefined;
  constructor(code: ErrorCode, message: string, vendorCode?: string) {
    super(message);
    this.name = 'CtiError';
    this.code = code;
    this.vendorCode = vendorCode;
  }
  toJSON(): CtiErrorShape {
    return { code: this.code, message: this.message, ...(this.vendorCode ? { vendorCode: this.vendorCode } : {}) };
  }
  static from(err: unknown): CtiError {
    if (err instanceof CtiError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new CtiError('internal', message);
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CtiErrorShape };
