// Normalized events: what every connector emits and the reducer folds into ViewState.
import { z } from 'zod';
import { NextAgentState } from './next-state.js';
import { AgentInfo, Call, type CallState, Colleague, DeviceFeatures, LinkInfo, QueueStats, Vendor } from './model.js';

export const callChanges = [
  'created',
  'dialing',
  'ringing',
  'alerting',
  'queued',
  'connected',
  'held',
  'retrieved',
  'transferred',
  'conferenced',
  'redirected',
  'failed',
  'dataUpdated',
  'updated',
] as const;
export const CallChange = z.enum(callChanges);
export type CallChange = z.infer<typeof CallChange>;

/** The change to report when a call's state moves to `state` (a cleared call's last image is an update). */
export const changeForState: Record<z.infer<typeof CallState>, CallChange> = {
  dialing: 'dialing',
  ringing: 'ringing',
  queued: 'queued',
  alerting: 'alerting',
  connected: 'connected',
  held: 'held',
  failed: 'failed',
  cleared: 'updated',
};

export const CallEvent = z.object({
  type: z.literal('call'),
  change: CallChange,
  /** Full image of the call after the change. */
  call: Call,
});

export const CallEndedEvent = z.object({
  type: z.literal('callEnded'),
  callId: z.string(),
  at: z.number(),
  cause: z.string().max(64).optional(),
  /** Final image, when the vendor sent one. */
  call: Call.optional(),
});

export const AgentEvent = z.object({ type: z.literal('agent'), agent: AgentInfo });

export const FeaturesEvent = z.object({ type: z.literal('features'), features: DeviceFeatures.partial() });

export const LinkEvent = z.object({ type: z.literal('link'), link: LinkInfo });

export const SnapshotEvent = z.object({
  type: z.literal('snapshot'),
  at: z.number(),
  calls: z.array(Call),
  agent: AgentInfo.nullable().optional(),
  features: DeviceFeatures.optional(),
  /** Authoritative colleague list, when the vendor has one (replaces the held list). */
  colleagues: z.array(Colleague).max(500).optional(),
});

/** One colleague's phone changed (added at the end when the list does not hold it yet). */
export const ColleagueEvent = z.object({ type: z.literal('colleague'), colleague: Colleague });

export const QueueEvent = z.object({ type: z.literal('queue'), queue: QueueStats });

export const SessionEvent = z.object({
  type: z.literal('session'),
  profileId: z.string().nullable(),
  vendor: Vendor.nullable(),
  device: z.string().nullable(),
  capabilities: z.array(z.string()),
});

export const NoticeEvent = z.object({
  type: z.literal('notice'),
  level: z.enum(['info', 'warning', 'error']),
  code: z.string().max(64),
  message: z.string().max(1024),
  at: z.number(),
});

/** The desk queued (or, with null, dropped) a state for after the current call. */
export const NextStateEvent = z.object({ type: z.literal('nextState'), next: NextAgentState.nullable() });

export const CtiEvent = z.discriminatedUnion('type', [
  CallEvent,
  CallEndedEvent,
  AgentEvent,
  FeaturesEvent,
  LinkEvent,
  SnapshotEvent,
  QueueEvent,
  ColleagueEvent,
  SessionEvent,
  NoticeEvent,
  NextStateEvent,
]);
export type CtiEvent = z.infer<typeof CtiEvent>;
export type CallEvent = z.infer<typeof CallEvent>;
export type CallEndedEvent = z.infer<typeof CallEndedEvent>;
export type SnapshotEvent = z.infer<typeof SnapshotEvent>;
export type NoticeEvent = z.infer<typeof NoticeEvent>;
export type ColleagueEvent = z.infer<typeof ColleagueEvent>;
