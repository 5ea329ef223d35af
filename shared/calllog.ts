// Call-log rows and queries, shared by the store in main/ and the renderer's call-log view.
import { z } from 'zod';
import { CallData } from './model.js';

export const MAX_CALL_NOTE = 2000;

export const CallLogRow = z.object({
  /** Normalized call id (unique per profile). */
  id: z.string(),
  profileId: z.string(),
  device: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  remoteNumber: z.string(),
  remoteName: z.string().optional(),
  remoteCompany: z.string().optional(),
  calledNumber: z.string().optional(),
  startedAt: z.number(),
  answeredAt: z.number().optional(),
  endedAt: z.number().optional(),
  durationSec: z.number().nonnegative().optional(),
  /** answered, missed, abandoned, failed, transferred, ongoing, ... */
  outcome: z.string(),
  cause: z.string().optional(),
  data: CallData.default({}),
  /** 'local' when written from events, 'pbx' when it came from the vendor's own history. */
  source: z.enum(['local', 'pbx']).default('local'),
  /** A missed call the agent has (true) or has not (false) acknowledged, when the vendor tracks it. */
  acknowledged: z.boolean().optional(),
  /** The agent's own note on the call (local rows only). */
  note: z.string().max(MAX_CALL_NOTE).optional(),
});
export type CallLogRow = z.infer<typeof CallLogRow>;

export const CallLogQuery = z.object({
  text: z.string().trim().max(128).optional(),
  from: z.number().optional(),
  to: z.number().optional(),
  limit: z.number().int().min(1).max(5000).default(200),
  /** Merge the vendor's own history (when the connector has one). */
  includeVendor: z.boolean().default(true),
});
export type CallLogQuery = z.infer<typeof CallLogQuery>;
export type CallLogQueryInput = z.input<typeof CallLogQuery>;
