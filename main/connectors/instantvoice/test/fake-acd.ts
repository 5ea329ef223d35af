// A small fake InstantVoice ACD for the connector's tests: a STOMP client of the private broker that
// consumes /queue/config and answers with hand-written reply JSON on /topic/<KEY>, and publishes
// hand-written event JSON on /topic/iv.agents.<acc>_<agent>. It deliberately uses none of the
// connector's encoders: requests are read with JSON.parse, replies and events are literal text.
import type { IMessage } from '@stomp/stompjs';
import { StompTransport } from '../stomp-transport.js';

export interface SeenRequest {
  method: string;
  key: string;
  args: Record<string, unknown>;
  id: string | undefined;
}

/** Returns the reply body text, or null for no reply at all. */
export type Handler = (r: SeenRequest, acd: FakeAcd) => string | null;

export interface FakeAcdOptions {
  host: string;
  port: number;
  login: string;
  passcode: string;
}

export class FakeAcd {
  readonly requests: SeenRequest[] = [];
  readonly handlers = new Map<string, Handler>();
  /** Agent 1001's state as AgentInfo reports it. */
  status = 'LOGOFF';
  reason = '';
  /** Lines' current uniqueid (AgentLineList). */
  lineCall = '';
  agents = ['1001', '1002'];
  private readonly t: StompTransport;
  private waiters: Array<() => void> = [];

  private constructor(opts: FakeAcdOptions) {
    this.t = new StompTransport({ ...opts, heartbeatMs: 0, reconnectDelayMs: 200, maxAttempts: 50 });
  }

  static async start(opts: FakeAcdOptions): Promise<FakeAcd> {
    const acd = new FakeAcd(opts);
    acd.defaults();
    acd.t.subscribe('/queue/config', (m) => acd.onRequest(m));
    await acd.t.connect();
    await acd.t.subscribed();
    return acd;
  }

  async close(): Promise<void> {
    await this.t.close();
  }

  /** Resolves when a request of `method` has been seen (bounded). */
  async waitFor(method: string, count = 1, timeoutMs = 5000): Promise<SeenRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.requests.filter((r) => r.method === method);
      if (seen.length >= count) return seen[count - 1] as SeenRequest;
      if (Date.now() > deadline) throw new Error(`no ${method} request arrived`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  send(destination: string, body: string): void {
    this.t.publish(destination, body);
  }

  /** An event as literal JSON on the agent's topic. */
  event(agent: string, json: string): void {
    this.send(`/topic/iv.agents.default_${agent}`, json);
  }

  reply(r: SeenRequest, body: string): void {
    this.send(`/topic/${r.key}`, body);
  }

  private onRequest(m: IMessage): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(m.body);
    } catch {
      return;
    }
    if (!Array.isArray(parsed)) return;
    const [method, key, args, id] = parsed as [string, string, Record<string, unknown>, string | undefined];
    const r: SeenRequest = { method, key, args, id };
    this.requests.push(r);
    for (const w of this.waiters.splice(0)) w();
    const h = this.handlers.get(method);
    const body = h ? h(r, this) : `[5,"Fake ACD has no ${method}","${id ?? ''}"]`;
    if (body !== null) this.reply(r, body);
  }

  /** The agent-state and call methods of agent 1001, as the guide's examples show them. */
  defaults(): void {
    const ok = (r: SeenRequest) => `[0,"Successful ${r.method}","${r.id}"]`;
    this.handlers.set('AgentInfo', (r) => {
      if (r.key === 'badkey99') return `[9,"Unauthorized","${r.id}"]`;
      if (r.key === 'limited1') return `[10,"Not allowed","${r.id}"]`;
      const user = String(r.args.user);
      if (!this.agents.includes(user)) return `[3,"Agent not found","${r.id}"]`;
      const status = user === '1001' ? this.status : 'IDLE';
      const reason = user === '1001' ? this.reason : '';
      return `[0,{"accountcode":"default","name":"Agent ${user}","extension":"n/a","reasons_reason":"${reason}","agentstatusts":0,"logints":0,"disabled":0,"user":"default_${user}","pass":"1234","interface":"SIP/default_0001","agentstatus":"${status}","id":2},"${r.id}"]`;
    });
    this.handlers.set('AgentLineList', (r) =>
      `[0,[{"id":13,"queues_id":0,"outbound":1,"inbound":1,"linestatus":"${this.lineCall ? 'ONCALL' : 'IDLE'}","uniqueid":"${this.lineCall}","linenumber":1,"linestatusts":0}],"${r.id}"]`);
    this.handlers.set('AgentList', (r) => `[0,[${this.agents.join(',')}],"${r.id}"]`);
    this.handlers.set('AgentLogin', (r, acd) => {
      if (acd.status !== 'LOGOFF') return `[5,"Already logged in","${r.id}"]`;
      acd.status = 'IDLE';
      setImmediate(() => acd.event('1001', '{"direction":"","callerid":"","type":"LOGIN","uniqueid":"","agent":"default_1001"}'));
      return ok(r);
    });
    this.handlers.set('AgentPause', (r, acd) => {
      if (r.args.Reason !== '1') return `[3,"No such pause","${r.id}"]`;
      acd.status = 'PAUSED';
      acd.reason = 'Lunch';
      setImmediate(() => acd.event('1001', '{"direction":"Lunch","callerid":"","type":"PAUSE","uniqueid":"","agent":"default_1001"}'));
      return ok(r);
    });
    this.handlers.set('AgentUnpause', (r, acd) => {
      acd.status = 'IDLE';
      acd.reason = '';
      setImmediate(() => acd.event('1001', '{"direction":"","callerid":"","type":"UNPAUSE","uniqueid":"","agent":"default_1001"}'));
      return ok(r);
    });
    this.handlers.set('AgentLogoff', (r, acd) => {
      if (acd.status === 'LOGOFF') return `[5,"Not logged in","${r.id}"]`;
      acd.status = 'LOGOFF';
      setImmediate(() => acd.event('1001', '{"direction":"","callerid":"","type":"LOGOUT","uniqueid":"","agent":"default_1001"}'));
      return ok(r);
    });
  }
}