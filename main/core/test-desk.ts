// Test-only: a desktop without its UI, as the lab integration tests drive one: the session
// supervisor running one connector, the reducer folding its events into a view, every event kept,
// and a waiter on the view.
import type { CtiEvent } from '../../shared/events.js';
import type { Profile } from '../../shared/profile.js';
import type { Connector } from './connector.js';
import { silentLogger } from './log.js';
import { SessionSupervisor } from './supervisor.js';
import { ViewStore } from './view-store.js';
import { viewWaiter, type ViewWaiter } from './view-waiter.js';

export interface TestDesk {
  view: ViewStore;
  sup: SessionSupervisor;
  events: CtiEvent[];
  until: ViewWaiter;
}

/** Not started: call `sup.start()`. */
export function testDesk(profile: Profile, connector: Connector, waitMs = 8000): TestDesk {
  const view = new ViewStore();
  const events: CtiEvent[] = [];
  const sup = new SessionSupervisor({
    profile,
    connector,
    log: silentLogger(),
    emit: (e) => {
      events.push(e);
      view.apply(e);
    },
  });
  return { view, sup, events, until: viewWaiter(view, waitMs) };
}
