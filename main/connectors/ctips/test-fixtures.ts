// Test-only fixtures: one valid argument set per operation (the digest §8 scenario values) and
// one field set per event type, used by the example, round-trip and fuzz tests.
import { type CtipsArgs, type CtipsEventFieldsIn, type CtipsEventType, type CtipsOperation } from './schema.js';

const S = { SessionId: '3f2a9c1e-5b7d-4e21-9a0f-1c2d3e4f5a6b', TenantId: 1 };

export const sampleArgs: { [O in CtipsOperation]: CtipsArgs<O> } = {
  OpenConnection: { TenantIds: [1], UserCredentials: { UserName: 'Test01', Password: 'Test01' }, ClientCallbackURL: 'http://10.128.98.146:8730/www.aspect.com/PublishEvents' },
  CloseConnection: { SessionId: S.SessionId },
  OnLine: { ...S },
  OffLine: { ...S },
  AddMessageClass: { ...S, MessageClass: 'EventCategoryAgent' },
  DeleteMessageClass: { ...S, MessageClass: 'EventCategoryCall' },
  AddFilter: { ...S, FieldType: 'FT_SERVICE_ID', FieldValue: '3' },
  DeleteFilter: { ...S, FieldType: 'FT_AGENT_ID', FieldValue: 'agent1' },
  Snapshot: { ...S, EntityType: ['AgentInfo', 'CallInfo', 'ServiceInfo'] },
  LoginAgent: { ...S, RequestId: 101, AgentLoginName: 'agent1', StationId: '5001', InitialState: 'NotReady', MultiLine: 0 },
  LogoutAgent: { ...S, RequestId: 102, AgentId: 1001, ReasonCode: 3 },
  PanicLogout: { ...S, RequestId: 230, AgentLoginNameList: [], LogoutAllAgents: true },
  SetAgentState: { ...S, RequestId: 110, AgentId: 1001, NewState: 'Idle' },
  GetAgentState: { ...S, RequestId: 111, AgentId: 1001 },
  SetDisposition: { ...S, RequestId: 120, AgentId: 1001, CallId: 7001, DispositionId: 7, SummaryDispositionSuccessful: true, WrapNotRequired: true },
  AcceptCall: { ...S, RequestId: 130, AgentId: 1001, CallId: 7002, AcceptCall: false, RejectReason: 2 },
  ClearCall: { ...S, RequestId: 151, AgentId: 1001, CallId: 7004 },
  ConferenceCall: { ...S, RequestId: 180, AgentId: 1001, CallId: 7001, ConsultationCallId: 7010 },
  ConsultationCall: { ...S, RequestId: 160, AgentId: 1001, CallId: 7001, DestinationAddress: 'agent2', ServiceId: 0, DestinationType: 'Agent', UserData: ['note'] },
  GetCallData: { ...S, RequestId: 201, AgentId: 1001, CallId: 7001 },
  SetCallData: { ...S, RequestId: 200, AgentId: 1001, CallId: 7001, UserData: ['A-77', 'Gold', null] },
  HoldCall: { ...S, RequestId: 140, AgentId: 1001, CallId: 7001 },
  RetrieveCall: { ...S, RequestId: 141, AgentId: 1001, CallId: 7001 },
  MakeCall: { ...S, RequestId: 150, AgentId: 1001, CallId: -1, DestinationType: 'External', ServiceId: 4, WrapState: false, DestinationAddress: '0612345678' },
  SendDTMFDigits: { ...S, RequestId: 190, AgentId: 1001, CallId: 7004, DTMFDigits: '12#' },
  TransferCall: { ...S, RequestId: 161, AgentId: 1001, CallId: 7001, DestinationType: 'Agent', ConsultationCallId: 7010, TransferType: 'Consultation', UserData: [] },
  RouteSelect: { ...S, RequestId: 210, CallId: 7005, RouteActionType: 'RouteToAgent', RouteDestination: 'agent2', UserData: ['x<y&z'] },
};

const call3 = { CallId: 7001, CallSequenceId: '9223372036854775807', CallOriginatingSiteId: 1 };
const circuit = { ResourceGroupId: 2, CircuitId: 3, ChannelId: 4 };
const info = { ANI: '0612345678', DNIS: '8005550100', FirstName: 'Ann', LastName: "O'Neil & Co", PhoneNumber: null, CallerId: '0612345678', CallData: [{ key: 'AccountNumber', value: 'A-77' }] };

export const sampleEvents: { [T in CtipsEventType]: CtipsEventFieldsIn<T> } = {
  AgentLoginStateChange: {
    AgentLoginName: 'agent1', ...circuit, LoginState: 'AgentLoggedIn', AgentWorkGroupId: -1, AgentCapabilities: ['StandardAgent', 'Director'], AgentStationAddress: '5001',
    AgentMailbox: 'a1@example.com', ServiceState: [{ ServiceId: 3, ServiceState: 'Active' }, { ServiceId: 4, ServiceState: 'UnManned' }], SipIpAddress: null, SipPortNumber: 0, AgentCTIId: 1001,
  },
  AgentLoginRequestFailed: { AgentLoginName: 'nobody', FailureType: 'InvalidAgentName', FailureReason: 'Unknown agent' },
  AgentStateChange: { AgentState: 'ActiveWrap', ServiceIds: [3, 4], SipAddress: null, SipPort: 0 },
  AgentRequestFailed: { CallId: 0, FailureType: 'InvalidStateForRequest', FailureReason: 'no call' },
  AudioPathStateChange: { ...circuit, AudioPathState: 'Connected', ServiceIds: [3], SipIpAddress: null, SipIpPort: 0 },
  EnterPasscode: { ResourceGroupId: 2, PasscodeDigits: '047', ReEnterFlag: false, ServiceIds: [3, 4] },
  ServiceStateChange: { ServiceState: 'Holiday', RequestIdList: [1001, 1002] },
  CallCleared: { ...call3, ConsultationCallId: 0, ClearingPartyType: 'FarEnd' },
  CallCompleted: { ...call3, ...circuit },
  CallConferenced: { ...call3, ConsultingCallId: 7001, ConsultedCallId: 7010, ConsultationAgentId: 1002, ConferenceCallId: 7001 },
  CallConnected: { ...call3, CallInfo: [info], ResponseRequired: true, RejectReasonRequired: true, PlayAudioAlert: false, CallType: 'InboundAcd', OriginatingAgentId: 0, ...circuit },
  CallConsultation: { ...call3, ConsultationCallId: 7010, ConsultationAgentId: 1002 },
  CallDataUpdate: { ...call3, CallData: [{ key: 'UserData1', value: 'A-77' }, { key: 'UserData2', value: null }], UpdateType: 'GetCallDataReturned', FailureReason: null },
  CallDelivered: { ...call3, CallType: 'InboundAcd', ANI: '0612345678', DNIS: '8005550100' },
  CallEnd: { ...call3, AgentDisposition: 7, CallData: [] },
  CallEstablished: { ...call3, MediaType: 'VoiceSip', SipIpAddress: '10.0.0.1', SipPortNumber: 5060, ...circuit, ANI: '0612345678', DNIS: '8005550100' },
  CallHeld: { ...call3 },
  CallOffered: { ...call3, ...circuit, ANI: '0612345678', DNIS: '8005550100' },
  CallOriginated: { ...call3, DestType: 'External', Destination: '6175550000', ...circuit, CallProgressSignal: 'Ringing' },
  CallRequestFailed: { ...call3, FailureType: 'DestinationBusy', FailureReason: 'busy' },
  CallRetrieved: { ...call3 },
  CallStarted: { ...call3, ...circuit },
  CallTransferred: { ...call3, ConsultingCallId: 7001, ConsultedCallId: 7010, ConsultationAgentId: 1002, TransferredCallId: 7001, TransferredCallSwitchId: 1 },
  DigitsDialed: { ...call3, DigitString: '12#' },
  RouteRequest: { CallId: 7005, RouteTimeout: 3, ...circuit, MediaType: 'VoiceAnalog', SipIpAddress: null, SipPortNumber: '0', CallInfo: [info], CallSequenceId: '-1', CallOriginatingSiteId: 1 },
  RouteUsed: { CallId: 7005, RouteStatus: 'RouteSuccess', RouteType: 'RouteToAgent', RouteDestination: '1002', CallSequenceId: '12', CallOriginatingSiteId: 1 },
  RouteReject: { CallId: 7005, RouteRejectReason: 'NoRouteToDestination', CallSequenceId: '12', CallOriginatingSiteId: 1 },
  RouteRequestFailed: { CallId: 7005, FailureType: 'DestinationAgentNotAvailable', FailureReason: 'busy', CallSequenceId: '12', CallOriginatingSiteId: 1 },
  SnapShotUpdate: {
    SnapShotType: 'AgentInfo',
    AgentData: {
      AgentId: 1001, AgentLoginName: 'agent1', AgentCapabilities: ['StandardAgent'], AgentWorkGroupId: 5, CallId: 0, ResourceGroupId: 2, ChannelId: 4, CircuitId: 3, SwitchId: 1,
      AgentState: 'Idle', Services: [{ ServiceId: 3, ServiceState: 'Active' }], MediaType: 'VoiceAnalog', SipIpAddress: null, SipPortNumber: 0, AgentStationAddress: '5001',
    },
    CallData: null,
    ServiceData: null,
    SnapShotComplete: true,
  },
  LinkStatus: { ComponentType: 'Gateway', ComponentState: 'Down' },
  SnapShotRequestFailed: { FailureType: 'InternalError', FailureReason: 'UIP down' },
};
