// The main-process end of the bridge, independent of the host (Electron IPC or the web host's
// WebSocket). It accepts only the contract's channels, validates every payload against the
// contract's schema, and sends state to each renderer as deltas coalesced to at most one message
// per frame. A renderer gets nothing until it says it is ready; its `app.ready` reply carries the
// full current state, so no call event that happened while React mounted is lost.
import { type InvokeChannel, type InvokeReply, type InvokeResponses, type StatePush, invokeChannels } from '../../shared/bridge.js';
import { CtiError } from '../../shared/commands.js';
import type { ViewState } from '../../shared/model.js';
import { diffState } from '../../shared/patch.js';
import type { z } from 'zod';
import type { Logger } from './log.js';
import type { ViewStore } from './view-store.js';

type Parsed<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;

export type BridgeHandlers = {
  [C in Exclude<InvokeChannel, 'app.ready'>]: (request: Parsed<C>) => Promise<InvokeResponses[C]>;
};

export interface BridgeClient {
  /** Handle one request from this renderer. Never throws. */
  handle(channel: string, payload: unknown): Promise<InvokeReply<InvokeChannel>>;
  close(): void;
}

interface ClientState {
  ready: boolean;
  rev: number;
  lastSent: ViewState | null;
  send: (push: StatePush) => void;
}

export const FRAME_MS = 16;

export class BridgeServer {
  private readonly clients = new Set<ClientState>();
  private flushTimer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private lastFlushAt = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly view: ViewStore,
    private readonly handlers: BridgeHandlers,
    private readonly log: Logger,
    private readonly frameMs = FRAME_MS,
  ) {
    this.unsubscribe = view.subscribe(() => this.scheduleFlush());
  }

  connect(send: (push: StatePush) => void): BridgeClient {
    const client: ClientState = { ready: false, rev: 0, lastSent: null, send };
    this.clients.add(client);
    return {
      handle: (channel, payload) => this.handle(client, channel, payload),
      close: () => {
        this.clients.delete(client);
      },
    };
  }

  get clientCount(): number {
    return this.clients.size;
  }

  dispose(): void {
    this.unsubscribe();
    this.clearFlush();
    this.clients.clear();
  }

  private async handle(client: ClientState, channel: string, payload: unknown): Promise<InvokeReply<InvokeChannel>> {
    if (!Object.hasOwn(invokeChannels, channel)) {
      this.log.warn({ channel: channel.slice(0, 64) }, 'bridge: unknown channel dropped');
      return { ok: false, error: { code: 'invalid', message: `unknown channel ${channel.slice(0, 64)}` } };
    }
    const name = channel as InvokeChannel;
    const parsed = invokeChannels[name].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || name}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'invalid', message } };
    }
    try {
      if (name === 'app.ready') {
        client.ready = true;
        client.rev += 1;
        client.lastSent = this.view.current;
        return { ok: true, value: { state: this.view.current, rev: client.rev } };
      }
      const handler = this.handlers[name] as (r: unknown) => Promise<InvokeResponses[InvokeChannel]>;
      const value = await handler(parsed.data);
      return { ok: true, value } as InvokeReply<InvokeChannel>;
    } catch (err) {
      const e = CtiError.from(err);
      if (e.code === 'internal') this.log.error({ err, channel: name }, 'bridge handler failed');
      return { ok: false, error: e.toJSON() };
    }
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const wait = this.lastFlushAt + this.frameMs - Date.now();
    // Same-tick changes go out together; otherwise at most one message per frame.
    this.flushTimer = wait <= 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), wait);
  }

  private clearFlush(): void {
    if (!this.flushTimer) return;
    clearTimeout(this.flushTimer as NodeJS.Timeout);
    clearImmediate(this.flushTimer as NodeJS.Immediate);
    this.flushTimer = null;
  }

  private flush(): void {
    this.flushTimer = null;
    this.lastFlushAt = Date.now();
    const current = this.view.current;
    for (const client of this.clients) {
      if (!client.ready || !client.lastSent) continue;
      const patch = diffState(client.lastSent, current);
      client.lastSent = current;
      if (!patch) continue;
      client.rev += 1;
      try {
        client.send({ kind: 'patch', rev: client.rev, patch });
      } catch (err) {
        this.log.warn({ err }, 'bridge: push failed; dropping client');
        this.clients.delete(client);
      }
    }
  }
}
