// Sample O2G events, one per event the connector decodes, written from the manual's tables
// (field names and cardinalities of §4.2 / §5.2 of the digest). Test-only.
import type { O2gEventName } from '../codec.js';

export const sampleEvents: Record<O2gEventName, Record<string, unknown>> = {
  OnCallCreated: {
    eventName: 'OnCallCreated',
    loginName: 'agent1',
    callRef: '1001',
    cause: 'DISTRIBUTED',
    initiator: 'p-caller',
    callData: {
      associateData: 'CUST-42',
      acdCallData: { pilotNumber: '60100', callInfo: { queueWaitingTime: 12, globalWaitingTime: 15, agentGroup: '60121', local: true }, queueData: { waitingTime: 30, saturated: false } },
      capabilities: { redirect: true, terminate: true, dropMe: false },
      initialCalled: { id: { phoneNumber: '60100' } },
    },
    legs: [{ deviceId: '70123', state: 'RINGING_INCOMING', capabilities: { answer: true, drop: true } }],
    participants: [{ participantId: 'p-caller', identity: { id: { phoneNumber: '0612345678' }, firstName: 'Bob', lastName: 'Blake', type: { main: 'EXTERNAL' } } }],
    deviceCapabilities: [{ deviceId: '70123', makeCall: false }],
  },
  OnCallModified: {
    eventName: 'OnCallModified',
    loginName: 'agent1',
    callRef: '1001',
    cause: 'CONFERENCED',
    previousCallRef: '1000',
    callData: { state: 'ACTIVE', capabilities: { merge: false } },
    modifiedLegs: [{ deviceId: '70123', state: 'ACTIVE', capabilities: { hold: true, drop: true } }],
    addedLegs: [],
    removedLegs: [],
    modifiedParticipants: [],
    addedParticipants: [{ participantId: 'p3', identity: { id: { loginName: 'agent2', phoneNumber: '70125' }, type: { main: 'USER' } } }],
    removedParticipantIds: ['p9'],
  },
  OnCallRemoved: { eventName: 'OnCallRemoved', loginName: 'agent1', callRef: '1001', cause: 'REDIRECTED', newDestination: '70126' },
  OnUserStateModified: { eventName: 'OnUserStateModified', loginName: 'agent1', state: 'BUSY' },
  OnTelephonyState: {
    eventName: 'OnTelephonyState',
    loginName: 'agent1',
    state: { calls: [{ callRef: '7', legs: [{ deviceId: '70123', state: 'ACTIVE' }] }], deviceCapabilities: [{ deviceId: '70123', makeCall: true }], userState: 'BUSY' },
  },
  OnDeviceStateModified: { eventName: 'OnDeviceStateModified', loginName: 'agent1', deviceStates: [{ deviceId: '70123', state: 'OUT_OF_SERVICE' }] },
  OnAgentStateChanged: {
    eventName: 'OnAgentStateChanged',
    loginName: 'agent1',
    state: { mainState: 'LOG_ON', subState: 'WITHDRAW', proAcdDeviceNumber: '70123', pgNumber: '60121', withdrawReason: 2, withdrawn: false },
  },
  OnSupervisorHelpRequested: { eventName: 'OnSupervisorHelpRequested', loginName: 'agent1', agentNumber: '70100' },
  OnSupervisorHelpCancelled: { eventName: 'OnSupervisorHelpCancelled', loginName: 'agent1', agentNumber: '70100' },
  OnRoutingStateChanged: {
    eventName: 'OnRoutingStateChanged',
    loginName: 'agent1',
    routingState: {
      presentationRoutes: [{ destinations: [{ type: 'OFFICE', selected: true }, { type: 'MOBILE', selected: false }] }],
      forwardRoutes: [{ forwardType: 'BUSY', destinations: [{ type: 'VOICEMAIL' }] }],
      overflowRoutes: [{ overflowType: 'NO_ANSWER', destinations: [{ type: 'NUMBER', number: '70125' }] }],
      dndState: { activate: true },
    },
  },
  OnComRecordCreated: {
    eventName: 'OnComRecordCreated',
    loginName: 'agent1',
    record: {
      recordId: 42,
      comRef: 'c-1',
      acknowledged: false,
      participants: [
        { role: 'CALLEE', answered: false, identity: { id: { loginName: 'agent1' } } },
        { identity: { id: { phoneNumber: '0612345678' }, firstName: 'Bob', lastName: 'Blake', type: { main: 'EXTERNAL' } } },
      ],
      beginDate: '2024-05-16T18:17:15.489Z',
      endDate: '2024-05-16T18:17:45.489Z',
      medias: ['AUDIO'],
    },
  },
  OnComRecordModified: { eventName: 'OnComRecordModified', loginName: 'agent1', record: { recordId: 42, acknowledged: true } },
  OnComRecordsAck: { eventName: 'OnComRecordsAck', loginName: 'agent1', recordIds: [42, 43] },
  OnComRecordsUnAck: { eventName: 'OnComRecordsUnAck', loginName: 'agent1', recordIds: [42] },
  OnComRecordsDeleted: { eventName: 'OnComRecordsDeleted', loginName: 'agent1', recordIds: [42] },
  OnEventSummaryUpdated: { eventName: 'OnEventSummaryUpdated', loginName: 'agent1', eventSummary: { missedCallsNb: 1, voiceMessagesNb: 2, callBackRequestsNb: 0, eventWaiting: true } },
  OnCtiLinkDown: { eventName: 'OnCtiLinkDown', nodeId: '7' },
  OnCtiLinkUp: { eventName: 'OnCtiLinkUp', nodeId: '7' },
  OnPbxLoaded: { eventName: 'OnPbxLoaded', nodeId: '7' },
  OnLicenseExpiration: { eventName: 'OnLicenseExpiration', message: 'TELEPHONY_ADVANCED expires', nbDays: 12 },
  OnChannelInformation: { eventName: 'OnChannelInformation', text: 'Chunk started' },
  OnUserInfoChanged: { eventName: 'OnUserInfoChanged', loginName: 'agent1', user: { loginName: 'agent1', firstName: 'Alice', devices: [{ type: 'DESKPHONE', id: '70123' }] } },
};

/** Each event's fields that are [1] in the manual and that the decoder insists on. */
export const requiredField: Partial<Record<O2gEventName, string>> = {
  OnCallCreated: 'callRef',
  OnCallModified: 'callRef',
  OnCallRemoved: 'callRef',
  OnAgentStateChanged: 'state',
  OnRoutingStateChanged: 'routingState',
  OnComRecordCreated: 'record',
  OnComRecordModified: 'record',
  OnEventSummaryUpdated: 'eventSummary',
};
