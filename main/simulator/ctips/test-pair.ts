// For the lab's CTIPS tests: the HA pair (portals A and B on free ports, heartbeats every 100 ms)
// and its PBX started by each test, and every test client it opened; `stop` (the file's afterEach)
// closes them all. No test runner here: this file is also compiled with the app.
import { silentLogger } from '../../core/log.js';
import type { PbxConfig } from '../pbx/config.js';
import { Pbx } from '../pbx/pbx.js';
import { ctipsPbxConfig, type CtipsConfig } from './config.js';
import { CtipsFrontEnd } from './front-end.js';
import { CtipsTestClient } from './test-client.js';

export interface CtipsTestPair {
  start(config?: Partial<CtipsConfig>, pbxPartial?: Partial<PbxConfig>): Promise<CtipsFrontEnd>;
  /** A test client at `port`, online with these message classes (all by default). */
  online(port: number, classes?: Parameters<CtipsTestClient['connect']>[0]): Promise<CtipsTestClient>;
  /** The running pair and PBX; undefined before start(). */
  readonly pair: CtipsFrontEnd | undefined;
  readonly pbx: Pbx | undefined;
  /** Close the clients, stop the pair and the PBX. */
  stop(): Promise<void>;
}

export function ctipsPairPerTest(): CtipsTestPair {
  let pbx: Pbx | undefined;
  let pair: CtipsFrontEnd | undefined;
  const clients: CtipsTestClient[] = [];
  return {
    async stop() {
      for (const c of clients.splice(0)) await c.close();
      await pair?.stop();
      pbx?.dispose();
      pair = undefined;
      pbx = undefined;
    },
    async start(config = {}, pbxPartial = {}) {
      pbx = new Pbx(ctipsPbxConfig({ externalAnswerMs: 50, ...pbxPartial }));
      pair = await CtipsFrontEnd.start(pbx, { host: '127.0.0.1', ports: { a: 0, b: 0 }, config: { heartbeatIntervalMs: 100, ...config }, log: silentLogger() });
      return pair;
    },
    online: (port, classes) => CtipsTestClient.online(port, classes, clients),
    get pair() {
      return pair;
    },
    get pbx() {
      return pbx;
    },
  };
}
