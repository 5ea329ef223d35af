// Top bar: product, the session (profile, vendor, device), the desk's ringer, the CTI link, help and profiles.
import { vendorLabels } from '../format/labels.js';
import { useActiveProfile } from '../state/queries.js';
import { useViewStore } from '../state/viewStore.js';
import { LinkBadge } from './LinkBadge.js';
import { RingerIndicator } from './RingerSection.js';

interface HeaderProps {
  onOpenProfiles(): void;
  onOpenHelp(): void;
}

export function Header({ onOpenProfiles, onOpenHelp }: HeaderProps) {
  const profileId = useViewStore((s) => s.view.profileId);
  const vendor = useViewStore((s) => s.view.vendor);
  const device = useViewStore((s) => s.view.device);
  const active = useActiveProfile();

  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1 className="brand-name">Agent Desktop</h1>
      </div>
      <div className="session" aria-label="Session">
        <span className="session-profile" data-testid="profile-active">
          {active?.profile.name ?? profileId ?? 'No profile'}
        </span>
        {vendor && <span className="chip">{vendorLabels[vendor]}</span>}
        {device && <span className="chip">Device {device}</span>}
      </div>
      <div className="header-actions">
        <RingerIndicator />
        <LinkBadge />
        <button type="button" className="btn btn-ghost btn-icon" onClick={onOpenHelp} aria-label="Help: keyboard shortcuts and diagnostics" data-testid="help-open" title="Keyboard shortcuts and diagnostics (?)">
          ?
        </button>
        <button type="button" className="btn btn-ghost" onClick={onOpenProfiles} data-testid="profiles-open">
          Profiles
        </button>
      </div>
    </header>
  );
}
