// The InstantVoice front-end's control-API routes (mounted under /instantvoice by the lab's control API).
// Bodies are validated with zod; each route answers what it did. See NOTES.md for the list.
import { z } from 'zod';
import { HttpError, parseControlBody, type ControlRoute } from '../control-api.js';
import type { InstantVoiceFrontEnd } from './front-end.js';

const Empty = z.object({}).strict();
const QueueCallBody = z.object({
  from: z.string().min(1).max(32).regex(/^\+?[0-9*#]+$/, 'not a phone number'),
  accountcode: z.string().min(1).max(64).optional(),
}).strict();
const StallBody = z.object({ ms: z.number().int().min(1).max(600_000), then: z.enum(['answer', 'drop']).optional() }).strict();
const GarbageBody = z.object({ text: z.string().min(1).max(65_536).optional() }).strict();
const OversizeBody = z.object({ bytes: z.number().int().min(1).max(64 * 1024 * 1024).optional() }).strict();

/** The default malformed event: an object cut in the middle of a key. */
export const defaultGarbageEvent = '{"direction":"INBOUND","callerid":"2198765456","type":"NEWC';
export const defaultOversizeBytes = 2 * 1024 * 1024;

/** A syntactically valid event body of about `bytes` bytes (a huge callerid). */
export function oversizeEvent(agent: string, bytes: number): string {
  const head = { direction: 'INBOUND', callerid: '', type: 'NEWCALL', uniqueid: '0.0.0', agent };
  const base = JSON.stringify(head).length;
  return JSON.stringify({ ...head, callerid: '9'.repeat(Math.max(0, bytes - base)) });
}

const agentName = /^[A-Za-z0-9]+_[A-Za-z0-9]+$/;

export function instantVoiceControlRoutes(fe: InstantVoiceFrontEnd): ControlRoute[] {
  const agent = (a: string | undefined): string => {
    if (!a || !agentName.test(a)) throw new HttpError(400, 'agent must be <accountcode>_<agent>, e.g. default_1001');
    return a;
  };
  return [
    { method: 'GET', path: '/instantvoice', handler: () => ({ json: fe.describe() }) },
    {
      method: 'POST',
      path: '/instantvoice/queues/{name}/calls',
      handler: ([name], body) => {
        const b = parseControlBody(QueueCallBody, body);
        try {
          const r = fe.state.queueCall(b.accountcode ?? 'default', name as string, b.from);
          return { status: 201, json: r };
        } catch (err) {
          throw new HttpError(/no queue/.test((err as Error).message) ? 404 : 409, (err as Error).message);
        }
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/acd/down',
      handler: (_p, body) => {
        parseControlBody(Empty, body ?? {});
        fe.setDown(true);
        return { json: { down: true } };
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/acd/up',
      handler: (_p, body) => {
        parseControlBody(Empty, body ?? {});
        fe.setDown(false);
        return { json: { down: false } };
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/acd/stall',
      handler: (_p, body) => {
        const b = parseControlBody(StallBody, body);
        fe.stall(b.ms, b.then ?? 'answer');
        return { json: { stalledMs: b.ms, then: b.then ?? 'answer' } };
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/acd/restart',
      handler: async (_p, body) => {
        parseControlBody(Empty, body ?? {});
        await fe.restart();
        return { json: { restarted: true, connected: fe.connected } };
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/mediaserver/lost',
      handler: (_p, body) => {
        parseControlBody(Empty, body ?? {});
        return { json: { hungUp: fe.mediaServerLost() } };
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/agents/{agent}/garbage',
      handler: ([a], body) => {
        const b = parseControlBody(GarbageBody, body ?? {});
        const name = agent(a);
        if (!fe.publishRaw(name, b.text ?? defaultGarbageEvent)) throw new HttpError(409, 'the ACD is not connected to the broker');
        return { json: { published: `/topic/iv.agents.${name}`, bytes: Buffer.byteLength(b.text ?? defaultGarbageEvent) } };
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/agents/{agent}/oversize',
      handler: ([a], body) => {
        const b = parseControlBody(OversizeBody, body ?? {});
        const name = agent(a);
        const text = oversizeEvent(name, b.bytes ?? defaultOversizeBytes);
        if (!fe.publishRaw(name, text)) throw new HttpError(409, 'the ACD is not connected to the broker');
        return { json: { published: `/topic/iv.agents.${name}`, bytes: Buffer.byteLength(text) } };
      },
    },
    {
      method: 'POST',
      path: '/instantvoice/broker/drop',
      handler: async (_p, body) => {
        parseControlBody(Empty, body ?? {});
        if (fe.broker.external) throw new HttpError(409, 'the lab attached to an external broker: dropping its connections is not available');
        return { json: { closed: await fe.dropBrokerConnections() } };
      },
    },
  ];
}
