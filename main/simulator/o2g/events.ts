// The O2G events (L3400–L3477, L4495, L4860–L4904, L5095, L5232–L5256, L7934–L7957) and their packages.
// Package names are the [EXT] SDK's (the seed names only five, in example titles; digest §2.2).
import type { Licence } from './config.js';

/** One event as sent on the channel: a flat JSON object, eventName first (digest §4.1). */
export interface O2gEvent {
  eventName: string;
  loginName?: string;
  [field: string]: unknown;
}

export interface EventPackage {
  events: readonly string[];
  /** Licence the subscriber (the user, or the administrator's supervised users) needs; undefined = none. */
  licence?: Licence;
  /** Only administrator sessions may subscribe (system-wide events). */
  adminOnly: boolean;
  /** Events of this package concern one user (carry loginName) and are filtered by the selector ids. */
  perUser: boolean;
}

export const eventPackages: Record<string, EventPackage> = {
  telephony: {
    events: ['OnCallCreated', 'OnCallModified', 'OnCallRemoved', 'OnDeviceStateModified', 'OnDynamicStateChanged', 'OnTelephonyState', 'OnUserStateModified'],
    licence: 'TELEPHONY_ADVANCED',
    adminOnly: false,
    perUser: true,
  },
  eventSummary: { events: ['OnEventSummaryUpdated'], licence: 'TELEPHONY_ADVANCED', adminOnly: false, perUser: true },
  unifiedComLog: {
    events: ['OnComRecordCreated', 'OnComRecordModified', 'OnComRecordsAck', 'OnComRecordsDeleted', 'OnComRecordsUnAck'],
    licence: 'TELEPHONY_ADVANCED',
    adminOnly: false,
    perUser: true,
  },
  routingManagement: { events: ['OnRoutingStateChanged'], licence: 'TELEPHONY_ADVANCED', adminOnly: false, perUser: true },
  user: { events: ['OnUserInfoChanged', 'OnPreferencesChanged'], adminOnly: false, perUser: true },
  userManagement: { events: ['OnUserCreated', 'OnUserDeleted'], adminOnly: true, perUser: false },
  agent: {
    events: ['OnAgentStateChanged', 'OnSupervisorHelpRequested', 'OnSupervisorHelpCancelled'],
    licence: 'API_CONTACTCENTER_AGENT',
    adminOnly: false,
    perUser: true,
  },
  system: { events: ['OnCtiLinkDown', 'OnCtiLinkUp', 'OnLicenseExpiration', 'OnPbxLoaded'], adminOnly: true, perUser: false },
  pbxManagement: {
    events: ['OnPbxObjectInstanceCreated', 'OnPbxObjectInstanceDeleted', 'OnPbxObjectInstanceModified'],
    licence: 'MANAGEMENT',
    adminOnly: true,
    perUser: false,
  },
};

const packageOfEvent = new Map<string, string>();
for (const [name, pkg] of Object.entries(eventPackages)) for (const e of pkg.events) packageOfEvent.set(e, name);

/** The package a name belongs to: itself for a package name, its package for an event name. */
export function packageOf(name: string): string | undefined {
  return name in eventPackages ? name : packageOfEvent.get(name);
}

/** The channel's own information line (first line and keep-alives; [EXT] OnChannelInformation). */
export const channelInfo = (text: string): O2gEvent => ({ eventName: 'OnChannelInformation', text });
