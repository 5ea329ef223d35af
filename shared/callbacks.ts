// Scheduled callbacks: "call this customer back at 15:00". Kept by main beside the call log, per
// profile; main announces each one when it falls due, and the agent calls it in one click.
import { z } from 'zod';

const number = z
  .string()
  .trim()
  .min(1, 'Required')
  .max(64)
  .regex(/^[0-9+*#() .-]+$/, 'digits, + * # and separators only');

export const Callback = z.object({
  id: z.string().min(1).max(64),
  profileId: z.string().min(1).max(64),
  number: z.string().max(64),
  name: z.string().max(128).optional(),
  note: z.string().max(500).optional(),
  /** Epoch ms. */
  dueAt: z.number(),
  createdAt: z.number(),
  /** The call it came from, when it was scheduled from the call log. */
  fromCallId: z.string().max(256).optional(),
});
export type Callback = z.infer<typeof Callback>;

/** A new callback (no id) or a change to one (with its id). */
export const CallbackInput = z
  .object({
    id: z.string().min(1).max(64).optional(),
    number,
    name: z.string().trim().max(128).optional(),
    note: z.string().trim().max(500).optional(),
    dueAt: z.number().int().positive(),
    fromCallId: z.string().max(256).optional(),
  })
  .strict();
export type CallbackInput = z.infer<typeof CallbackInput>;
