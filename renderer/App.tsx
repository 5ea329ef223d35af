// The agent desktop's layout: header and banners; agent state, dialer and phone features on the
// left; calls and the call log / directory in the middle; caller details, the supervisor's tools,
// colleagues' phones and queues on the right.
import { useCallback, useState } from 'react';
import { AgentStateControl } from './components/AgentStateControl.js';
import { CallList } from './components/CallList.js';
import { ColleaguesPanel } from './components/ColleaguesPanel.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { DialPad } from './components/DialPad.js';
import { Header } from './components/Header.js';
import { PhoneFeatures } from './components/PhoneFeatures.js';
import { ProfileDialog } from './components/ProfileDialog.js';
import { QueuePanel } from './components/QueuePanel.js';
import { ScreenPop } from './components/ScreenPop.js';
import { ShortcutsHelp } from './components/ShortcutsHelp.js';
import { SupervisorPanel } from './components/SupervisorPanel.js';
import { Toasts } from './components/Toasts.js';
import { WorkTabs, type WorkTab } from './components/WorkTabs.js';
import { useShortcuts } from './shortcuts/useShortcuts.js';
import { useBrowserCallNotifications } from './state/browserNotifications.js';
import { useCallLogView } from './state/callLogView.js';
import { useDeskRinger } from './state/ringer.js';
import { useViewStore } from './state/viewStore.js';

export function App() {
  const [profilesOpen, setProfilesOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [tab, setTab] = useState<WorkTab>('calllog');
  const synced = useViewStore((s) => s.synced);

  const openHelp = useCallback(() => setHelpOpen(true), []);
  useShortcuts({ openHelp, showTab: setTab });
  useBrowserCallNotifications();
  useDeskRinger();
  const showMissed = useCallback(() => {
    useCallLogView.getState().setMissedOnly(true);
    setTab('calllog');
  }, []);

  return (
    <div className="app">
      <Header onOpenProfiles={() => setProfilesOpen(true)} onOpenHelp={openHelp} />
      <ConnectionBanner />
      {synced ? (
        <main className="app-main">
          <div className="col col-left">
            <AgentStateControl />
            <DialPad />
            <PhoneFeatures onShowMissed={showMissed} />
          </div>
          <div className="col col-center">
            <CallList />
            <WorkTabs tab={tab} onTab={setTab} />
          </div>
          <div className="col col-right">
            <ScreenPop />
            <SupervisorPanel />
            <ColleaguesPanel />
            <QueuePanel />
          </div>
        </main>
      ) : (
        <main className="app-loading" aria-busy="true">
          <p>Loading the desktop…</p>
        </main>
      )}
      <Toasts />
      {profilesOpen && <ProfileDialog onClose={() => setProfilesOpen(false)} />}
      {helpOpen && <ShortcutsHelp onClose={() => setHelpOpen(false)} />}
    </div>
  );
}
