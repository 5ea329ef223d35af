// The Telephony service (L1277–L3642) over the PBX core: call control addressed by callRef, the state and
// snapshot, pickup/park, recording, associated data and account info. Errors follow the digest's §1.6
// mapping: 400 NOT_EXPECTED + INCOMPATIBLE_WITH_STATE for a wrong call state, CALL_REFERENCE_NOT_FOUND
// (404 where the endpoint lists 404, else 400), 403 UNAUTHORIZED for a device of someone else, 503 link down.
import { z } from 'zod';
import { PbxError } from '../pbx/types.js';
import { callResource, type CallView, type MediaState } from './call-model.js';
import { badParameter, notExpected, telephonyErrors, type O2gError } from './errors.js';
import { noContent, ok, type Reply, type RequestContext, type Route } from './router.js';
import type { O2gService } from './service.js';
import type { O2gUser } from './users.js';

const deviceId = z.string().min(1);
const DeviceBody = z.object({ deviceId }).passthrough();
const MakeCallBody = z
  .object({
    deviceId: z.string().optional(),
    callee: z.string().optional(),
    autoAnswer: z.boolean().optional(),
    inhibitProgressTone: z.boolean().optional(),
    associatedData: z.string().optional(),
    associateData: z.string().optional(),
    hexaBinaryAssociatedData: z.string().optional(),
    pin: z.string().optional(),
    secretCode: z.string().optional(),
    businessCode: z.string().optional(),
    callingNumber: z.string().optional(),
    acdCall: z.object({ supervisedTransfer: z.boolean().optional(), callToSupervisor: z.boolean().optional() }).passthrough().optional(),
  })
  .passthrough();
const BasicCallBody = z.object({ deviceId, callee: z.string().min(1), autoAnswer: z.boolean().optional() }).passthrough();
const HeldBody = z.object({ heldCallRef: z.string().min(1) }).passthrough();
const ReconnectBody = z.object({ deviceId, enquiryCallRef: z.string().min(1) }).passthrough();
const BlindTransferBody = z.object({ transferTo: z.string().min(1), anonymous: z.boolean().optional() }).passthrough();
const RedirectBody = z.object({ redirectTo: z.string().min(1), anonymous: z.boolean().optional() }).passthrough();
const DtmfBody = z.object({ deviceId, number: z.string() }).passthrough();
const AttachBody = z
  .object({ deviceId: z.string().optional(), associatedData: z.string().optional(), associateData: z.string().optional(), hexaBinaryAssociatedData: z.string().optional() })
  .passthrough();
const AccountBody = z.object({ deviceId: z.string().optional(), accountInfo: z.string() }).passthrough();
const ParkBody = z.object({ parkTo: z.string().optional() }).passthrough();
const UnparkBody = z.object({ unParkFrom: z.string().optional() }).passthrough();
const PickupBody = z.object({ otherCallRef: z.string().optional(), otherPhoneNumber: z.string().min(1), autoAnswer: z.boolean().optional() }).passthrough();
const SwitchBody = z.object({ otherDeviceId: z.string().min(1) }).passthrough();

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw telephonyErrors.badValue(`${what}: ${issue ? `${issue.path.join('.') || 'body'} ${issue.message}` : 'invalid body'}`);
  }
  return r.data;
}

/** "limited to 32 bytes" (L3345, L3588); hexadecimal data counts its decoded bytes. */
function associatedData(body: { associatedData?: string; associateData?: string; hexaBinaryAssociatedData?: string }): string | undefined {
  const text = body.associatedData ?? body.associateData;
  if (text !== undefined) {
    if (Buffer.byteLength(text, 'utf8') > 32) throw telephonyErrors.badValue(`associatedData is ${Buffer.byteLength(text, 'utf8')} bytes; the limit is 32`);
    return text;
  }
  const hex = body.hexaBinaryAssociatedData;
  if (hex !== undefined) {
    if (!/^([0-9A-Fa-f]{2})*$/.test(hex)) throw telephonyErrors.badValue('hexaBinaryAssociatedData is not hexadecimal');
    if (hex.length / 2 > 32) throw telephonyErrors.badValue(`hexaBinaryAssociatedData is ${hex.length / 2} bytes; the limit is 32`);
    return hex;
  }
  return undefined;
}

/** PBX core refusals as O2G errors. */
export function fromPbxError(err: PbxError): O2gError {
  switch (err.code) {
    case 'invalidNumber':
      return telephonyErrors.invalidDestination(err.message);
    case 'unknownDevice':
      return badParameter(err.message, { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'INVALID_DEVICE', message: err.message });
    case 'linkDown':
      return notExpected(err.message, { errorType: 'SERVICE_UNAVAILABLE', errorCause: 'UNKNOWN', message: err.message });
    default:
      return telephonyErrors.incompatible(err.message);
  }
}

function pbxCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PbxError) throw fromPbxError(err);
    throw err;
  }
}

const cleanNumber = (n: string) => n.replace(/[\s().-]/g, '');

export class TelephonyService {
  constructor(private readonly svc: O2gService) {}

  /** The user a telephony request acts for, with its licence, monitoring and the CTI link checked. */
  private who(ctx: RequestContext, device?: string, basic = false): O2gUser {
    const svc = this.svc;
    const user = svc.actingUser(ctx, device);
    if (basic) svc.requireLicence(user, 'TELEPHONY_BASIC', 'TELEPHONY_ADVANCED');
    else svc.requireLicence(user, 'TELEPHONY_ADVANCED');
    svc.requireMonitored(user);
    svc.requireLink();
    if (device !== undefined && !user.cfg.devices.some((d) => d.id === device)) throw telephonyErrors.unauthorized(`The device ${device} is not a device of ${user.loginName}`);
    return user;
  }

  private call(user: O2gUser, ref: string, status: 400 | 404): CallView {
    const view = this.svc.tracker.view(user, ref);
    if (!view) throw telephonyErrors.callRefNotFound(ref, status);
    return view;
  }

  /** The user's leg in the call (the named device's, when given). */
  private leg(view: CallView, device?: string): { deviceId: string; state: MediaState } {
    const leg = device ? view.legs.find((l) => l.deviceId === device) : view.legs[0];
    if (!leg) throw telephonyErrors.incompatible(`The device ${device ?? '(none)'} is not in the call ${view.callRef}`);
    return leg;
  }

  private expectState(view: CallView, device: string | undefined, states: MediaState[], what: string): string {
    const leg = this.leg(view, device);
    if (!states.includes(leg.state)) throw telephonyErrors.incompatible(`${what} is not possible on a ${leg.state} call`);
    return leg.deviceId;
  }

  private created(callId: string): Reply {
    if (this.svc.config.createdBody === 'callRef') return { status: 201, body: this.svc.tracker.refOf(callId) };
    return { status: 201 };
  }

  /** A change only O2G knows (recording, account info): make the views be recomputed and told. */
  private touch(view: CallView): void {
    if (this.svc.pbx.hasCall(view.coreId)) this.svc.pbx.setCallData(view.coreId, {});
  }

  private dial(user: O2gUser, device: string, callee: string, opts: { autoAnswer: boolean; extraData?: string }): string {
    const pbx = this.svc.pbx;
    const to = cleanNumber(callee);
    if (to === '' || to === device) throw telephonyErrors.invalidDestination(`Cannot call ${callee}`);
    const active = pbx.legsOf(device).find(({ leg }) => leg.state === 'connected');
    return pbxCall(() => {
      // Off-hook on a call, a new call is an enquiry: the PBX holds the active call (consultation).
      if (active) return pbx.consult(device, to, { callId: active.call.id, ...(opts.extraData !== undefined ? { extraData: opts.extraData } : {}) });
      return pbx.makeCall(device, to, { ringOriginatorFirst: !opts.autoAnswer, ...(opts.extraData !== undefined ? { extraData: opts.extraData } : {}) });
    });
  }

  routes(): Route[] {
    const svc = this.svc;
    const pbx = svc.pbx;
    const tracker = svc.tracker;
    /** A call endpoint: the acting user (by deviceId when the body has one) and the call. */
    const onCall = (ctx: RequestContext, status: 400 | 404, device?: string) => {
      const user = this.who(ctx, device);
      return { user, view: this.call(user, ctx.params[0] as string, status) };
    };
    return [
      {
        method: 'POST',
        path: '/telephony/basicCall',
        handler: (ctx) => {
          const body = parse(BasicCallBody, ctx.body, 'MakeBasicCallRequest');
          const user = this.who(ctx, body.deviceId, true);
          return this.created(this.dial(user, body.deviceId, body.callee, { autoAnswer: body.autoAnswer ?? false }));
        },
      },
      {
        method: 'POST',
        path: '/telephony/basicCall/answer',
        handler: (ctx) => {
          const body = parse(DeviceBody, ctx.body, 'AnswerRequest');
          this.who(ctx, body.deviceId, true);
          pbxCall(() => pbx.answer(body.deviceId));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/basicCall/dropme',
        handler: (ctx) => {
          const user = this.who(ctx, undefined, true);
          pbxCall(() => pbx.drop(user.device as string));
          return noContent();
        },
      },
      {
        method: 'GET',
        path: '/telephony/calls',
        handler: (ctx) => ok({ calls: tracker.currentViews(this.who(ctx)).map(callResource) }),
      },
      {
        method: 'POST',
        path: '/telephony/calls',
        handler: (ctx) => {
          const body = parse(MakeCallBody, ctx.body, 'MakeCallRequest');
          // deviceId is [0..1] in the table but "This parameter is mandatory" (L3334–L3336, digest §6 #16).
          if (!body.deviceId) throw telephonyErrors.badValue('deviceId is mandatory');
          const user = this.who(ctx, body.deviceId);
          const data = associatedData(body);
          if (data !== undefined && (body.pin !== undefined || body.secretCode !== undefined || body.businessCode !== undefined)) {
            throw telephonyErrors.badValue('associatedData, pin/secretCode and businessCode are mutually exclusive');
          }
          if ((body.pin === undefined) !== (body.secretCode === undefined)) throw telephonyErrors.badValue('A private call needs both pin and secretCode');
          if (body.acdCall && body.pin !== undefined) throw telephonyErrors.badValue('acdCall can not be combined with pin/secretCode');
          if (body.callingNumber !== undefined && !/^\+?[0-9]{2,32}$/.test(cleanNumber(body.callingNumber))) throw telephonyErrors.badValue('callingNumber is not a number');
          let callee = body.callee;
          if (body.acdCall?.callToSupervisor && !callee) {
            const sup = svc.acd.supervisorFor(user);
            if (!sup) throw notExpected('No supervisor is available for this agent');
            callee = sup;
          }
          if (!callee) throw telephonyErrors.badValue('callee is mandatory (except for an ACD call to the supervisor)');
          const id = this.dial(user, body.deviceId, callee, { autoAnswer: body.autoAnswer ?? false, ...(data !== undefined ? { extraData: data } : {}) });
          return this.created(id);
        },
      },
      { method: 'GET', path: '/telephony/calls/{callRef}', handler: (ctx) => ok(callResource(onCall(ctx, 404).view)) },
      {
        method: 'DELETE',
        path: '/telephony/calls/{callRef}',
        handler: (ctx) => {
          const { view } = onCall(ctx, 404);
          // "Hangs on an active call, all the parties are released." (L1559)
          pbxCall(() => pbx.clearCall(view.coreId, this.leg(view).deviceId));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/answer',
        handler: (ctx) => {
          const body = parse(DeviceBody, ctx.body, 'AnswerRequest');
          const { view } = onCall(ctx, 400, body.deviceId);
          // "the API user must check … the capabilities of the involved leg (answer capability)" (L1627).
          this.expectState(view, body.deviceId, ['RINGING_INCOMING'], 'answer');
          pbxCall(() => pbx.answer(body.deviceId, { callId: view.coreId }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/hold',
        handler: (ctx) => {
          const body = parse(DeviceBody, ctx.body, 'HoldRequest');
          const { view } = onCall(ctx, 400, body.deviceId);
          this.expectState(view, body.deviceId, ['ACTIVE'], 'hold');
          pbxCall(() => pbx.hold(body.deviceId, { callId: view.coreId }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/retrieve',
        handler: (ctx) => {
          const body = parse(DeviceBody, ctx.body, 'RetrieveRequest');
          const { view } = onCall(ctx, 404, body.deviceId);
          this.expectState(view, body.deviceId, ['HELD'], 'retrieve');
          pbxCall(() => pbx.retrieve(body.deviceId, { callId: view.coreId }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/alternate',
        handler: (ctx) => {
          const body = parse(DeviceBody, ctx.body, 'AlternateRequest');
          const { user, view } = onCall(ctx, 400, body.deviceId);
          // The path names the held call (L1593, L1599, digest §6 #21).
          this.expectState(view, body.deviceId, ['HELD'], 'alternate (the path names the held call)');
          const active = tracker.currentViews(user).find((v) => v.callRef !== view.callRef && v.legs.some((l) => l.deviceId === body.deviceId && l.state === 'ACTIVE'));
          if (!active) throw telephonyErrors.incompatible('alternate needs an active call besides the held one');
          pbxCall(() => pbx.alternate(body.deviceId, { heldCallId: view.coreId, activeCallId: active.coreId }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/reconnect',
        handler: (ctx) => {
          const body = parse(ReconnectBody, ctx.body, 'ReconnectRequest');
          const { user, view } = onCall(ctx, 400, body.deviceId);
          this.expectState(view, body.deviceId, ['HELD'], 'reconnect (the path names the held call)');
          const enquiry = this.call(user, body.enquiryCallRef, 400);
          this.expectState(enquiry, body.deviceId, ['ACTIVE', 'RINGING_OUTGOING', 'DIALING', 'RELEASING'], 'reconnect (enquiryCallRef)');
          pbxCall(() => pbx.reconnect(body.deviceId, { heldCallId: view.coreId, activeCallId: enquiry.coreId }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/transfer',
        handler: (ctx) => {
          const body = parse(HeldBody, ctx.body, 'TransferRequest');
          const { user, view } = onCall(ctx, 404);
          // The path has the active call, the body the held one (L2368, L2374).
          const device = this.expectState(view, undefined, ['ACTIVE', 'RINGING_OUTGOING'], 'transfer (the path names the active call)');
          const held = this.call(user, body.heldCallRef, 400);
          this.expectState(held, device, ['HELD'], 'transfer (heldCallRef)');
          svc.during({ cause: 'TRANSFERRED' }, () => pbxCall(() => pbx.transfer(device, { heldCallId: held.coreId, activeCallId: view.coreId })));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/merge',
        handler: (ctx) => {
          const body = parse(HeldBody, ctx.body, 'MergeRequest');
          const { user, view } = onCall(ctx, 400);
          const device = this.expectState(view, undefined, ['ACTIVE'], 'merge (the path names the active call)');
          const held = this.call(user, body.heldCallRef, 400);
          this.expectState(held, device, ['HELD'], 'merge (heldCallRef)');
          svc.during({ cause: 'CONFERENCED' }, () => pbxCall(() => pbx.conference(device, { heldCallId: held.coreId, activeCallId: view.coreId })));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/blindtransfer',
        handler: (ctx) => {
          const body = parse(BlindTransferBody, ctx.body, 'BlindTransferRequest');
          const { view } = onCall(ctx, 400);
          const device = this.expectState(view, undefined, ['ACTIVE'], 'blindtransfer');
          const to = cleanNumber(body.transferTo);
          svc.during({ cause: 'TRANSFERRED', newDestination: to }, () => pbxCall(() => pbx.divert(device, to, { callId: view.coreId })));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/redirect',
        handler: (ctx) => {
          const body = parse(RedirectBody, ctx.body, 'RedirectRequest');
          const { user, view } = onCall(ctx, 404);
          const device = this.expectState(view, undefined, ['RINGING_INCOMING'], 'redirect');
          if (view.callData.capabilities.redirect === false) throw telephonyErrors.incompatible('Your own set is ringing for your call: answer or drop it');
          let to: string;
          if (body.redirectTo === 'VOICEMAIL') {
            const vm = user.cfg.voicemail?.number;
            if (!vm) throw telephonyErrors.serviceUnavailable(`${user.loginName} has no voicemail`);
            to = vm;
          } else if (body.redirectTo === 'DVA') {
            if (!svc.config.dvaNumber) throw telephonyErrors.notProvided('No DVA is configured');
            to = svc.config.dvaNumber;
          } else to = cleanNumber(body.redirectTo);
          svc.during({ cause: 'REDIRECTED', newDestination: to }, () => pbxCall(() => pbx.divert(device, to, { callId: view.coreId })));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/overflowToVoiceMail',
        handler: (ctx) => {
          const { view } = onCall(ctx, 400);
          this.expectState(view, undefined, ['RINGING_OUTGOING'], 'overflowToVoiceMail');
          const call = pbx.call(view.coreId);
          const callee = call?.legs.find((l) => l.state === 'alerting' && l.kind === 'device');
          const owner = callee ? svc.users.byDeviceNumber(callee.number) : undefined;
          const vm = owner?.cfg.voicemail?.number;
          if (!callee || !vm) throw telephonyErrors.serviceUnavailable('The called party has no voicemail');
          svc.during({ cause: 'REDIRECTED', newDestination: vm }, () => pbxCall(() => pbx.divert(callee.number, vm, { callId: view.coreId })));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/callback',
        handler: (ctx) => {
          const { user, view } = onCall(ctx, 400);
          const device = this.expectState(view, undefined, ['RINGING_OUTGOING'], 'callback');
          const callee = view.participants.length === 1 ? view.participants[0]?.identity.id.loginName : undefined;
          const target = callee ? svc.users.byLoginName(callee) : undefined;
          if (!target) throw telephonyErrors.incompatible('A callback is requested from a ringing user');
          svc.comlog.addCallback(target, svc.users.partyInfo(user.device as string));
          pbxCall(() => pbx.drop(device, { callId: view.coreId }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/dropme',
        handler: (ctx) => {
          const { view } = onCall(ctx, 400);
          pbxCall(() => pbx.drop(this.leg(view).deviceId, { callId: view.coreId }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/park',
        handler: (ctx) => {
          const body = parse(ParkBody, ctx.body, 'ParkRequest');
          const { view } = onCall(ctx, 400);
          const device = this.expectState(view, undefined, ['ACTIVE', 'HELD'], 'park');
          const parkTo = body.parkTo ? cleanNumber(body.parkTo) : undefined;
          if (parkTo !== undefined && !pbx.isDevice(parkTo)) throw telephonyErrors.invalidDestination(`${body.parkTo} is not a device`);
          pbxCall(() => pbx.park(device, { callId: view.coreId, ...(parkTo ? { parkTo } : {}) }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/recording',
        handler: (ctx) => {
          const action = ctx.query.get('action');
          if (action !== 'start' && action !== 'stop' && action !== 'pause' && action !== 'resume') throw telephonyErrors.badValue('action must be start, stop, pause or resume');
          const { user, view } = onCall(ctx, 400);
          this.expectState(view, undefined, ['ACTIVE'], 'recording');
          // "Online recording is requested for …, but" the user has no voicemail/recording service (L389).
          if (!user.cfg.voicemail) throw telephonyErrors.serviceUnavailable(`${user.loginName} has no recording service`);
          const x = tracker.extras(view.coreId);
          const state = x.recordState;
          const allowed = action === 'start' ? state === undefined : action === 'stop' ? state !== undefined : action === 'pause' ? state === 'RECORDING' : state === 'PAUSED';
          if (!allowed) throw telephonyErrors.incompatible(`recording ${action} is not possible while ${state ?? 'not recording'}`);
          x.recordState = action === 'stop' ? undefined : action === 'pause' ? 'PAUSED' : 'RECORDING';
          this.touch(view);
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/sendDtmf',
        handler: (ctx) => {
          const body = parse(DtmfBody, ctx.body, 'SendDtmfRequest');
          const { view } = onCall(ctx, 404, body.deviceId);
          this.expectState(view, body.deviceId, ['ACTIVE'], 'sendDtmf');
          if (!/^[0-9*#A-Da-d]{1,64}$/.test(body.number)) throw telephonyErrors.badValue(`${body.number} is not a DTMF sequence`);
          svc.log.debug({ callRef: view.callRef, dtmf: body.number }, 'o2g: DTMF sent');
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/attachdata',
        handler: (ctx) => {
          const body = parse(AttachBody, ctx.body, 'SendAssociatedDataRequest');
          const { view } = onCall(ctx, 400, body.deviceId);
          const data = associatedData(body);
          if (data === undefined) throw telephonyErrors.badValue('associatedData is missing');
          pbxCall(() => pbx.setCallData(view.coreId, { extraData: data }));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/sendaccountinfo',
        handler: (ctx) => {
          const body = parse(AccountBody, ctx.body, 'SendAccountInfoRequest');
          const ref = ctx.params[0] as string;
          const user = this.who(ctx, body.deviceId);
          // "numerical value only" (L2332).
          if (!/^[0-9]{1,32}$/.test(body.accountInfo)) throw telephonyErrors.badValue('accountInfo must be numeric (a transaction code)');
          // The transaction code is sent "at the end of the call" (L2332): a call just ended is accepted.
          const view = tracker.view(user, ref);
          const ended = view ? undefined : tracker.recentlyEnded(user, ref);
          if (!view && !ended) throw telephonyErrors.callRefNotFound(ref, 400);
          tracker.extras(view?.coreId ?? (ended?.coreId as string)).accountInfo = body.accountInfo;
          if (view) this.touch(view);
          svc.acd.transactionCodeEntered(user);
          return noContent();
        },
      },
      {
        method: 'GET',
        path: '/telephony/calls/{callRef}/participants',
        handler: (ctx) => ok({ participants: onCall(ctx, 404).view.participants }),
      },
      {
        method: 'GET',
        path: '/telephony/calls/{callRef}/participants/{participantId}',
        handler: (ctx) => {
          const { view } = onCall(ctx, 404);
          const p = view.participants.find((x) => x.participantId === ctx.params[1]);
          if (!p) throw telephonyErrors.callRefNotFound(`${view.callRef}/participants/${ctx.params[1]}`, 404);
          return ok(p);
        },
      },
      {
        method: 'DELETE',
        path: '/telephony/calls/{callRef}/participants/{participantId}',
        handler: (ctx) => {
          const { view } = onCall(ctx, 400);
          const pid = ctx.params[1] as string;
          const p = view.participants.find((x) => x.participantId === pid);
          // Dropping an unknown participant is a BAD_PARAMETER_VALUE (L382).
          if (!p) throw telephonyErrors.badValue(`No participant ${pid} in the call ${view.callRef}`);
          if (p.undroppable) throw telephonyErrors.incompatible(`The participant ${pid} can not be dropped`);
          const call = pbx.call(view.coreId);
          const leg = call?.legs.find((l) => tracker.participantId(l) === pid && l.state !== 'cleared');
          if (!leg) throw telephonyErrors.badValue(`No participant ${pid} in the call ${view.callRef}`);
          pbxCall(() => pbx.dropParty(view.coreId, leg.number));
          return noContent();
        },
      },
      { method: 'GET', path: '/telephony/calls/{callRef}/deviceLegs', handler: (ctx) => ok({ legs: onCall(ctx, 404).view.legs }) },
      {
        method: 'GET',
        path: '/telephony/calls/{callRef}/deviceLegs/{legId}',
        handler: (ctx) => {
          const { view } = onCall(ctx, 404);
          // Leg has no id: legId is the leg's deviceId (digest §6 #19).
          const leg = view.legs.find((l) => l.deviceId === ctx.params[1]);
          if (!leg) throw telephonyErrors.callRefNotFound(`${view.callRef}/deviceLegs/${ctx.params[1]}`, 404);
          return ok(leg);
        },
      },
      {
        method: 'POST',
        path: '/telephony/calls/{callRef}/deviceLegs/{legId}',
        handler: (ctx) => {
          const body = parse(SwitchBody, ctx.body, 'SwitchDeviceRequest');
          const { user, view } = onCall(ctx, 400, ctx.params[1]);
          const leg = view.legs.find((l) => l.deviceId === ctx.params[1]);
          if (!leg) throw badParameter(`No leg ${ctx.params[1]}`, { errorType: 'LEG_NOT_FOUND', errorCause: 'INVALID_DEVICE' });
          if (!user.cfg.devices.some((d) => d.id === body.otherDeviceId)) throw telephonyErrors.unauthorized(`${body.otherDeviceId} is not a device of ${user.loginName}`);
          throw telephonyErrors.incompatible(`${user.loginName} has no other device to switch the call to`);
        },
      },
      {
        method: 'GET',
        path: '/telephony/devices',
        handler: (ctx) => {
          const user = this.who(ctx);
          return ok({ deviceStates: user.cfg.devices.map((d) => ({ deviceId: d.id, state: pbx.isDevice(d.id) ? 'IN_SERVICE' : 'OUT_OF_SERVICE' })) });
        },
      },
      {
        method: 'GET',
        path: '/telephony/devices/{deviceId}',
        handler: (ctx) => {
          const device = ctx.params[0] as string;
          this.who(ctx, device);
          return ok({ deviceId: device, state: pbx.isDevice(device) ? 'IN_SERVICE' : 'OUT_OF_SERVICE' });
        },
      },
      {
        method: 'POST',
        path: '/telephony/devices/{deviceId}/pickup',
        handler: (ctx) => {
          const device = ctx.params[0] as string;
          const body = parse(PickupBody, ctx.body, 'PickupRequest');
          this.who(ctx, device);
          const other = cleanNumber(body.otherPhoneNumber);
          let callId: string | undefined;
          if (body.otherCallRef) {
            callId = tracker.coreIdOf(body.otherCallRef);
            if (!callId) throw telephonyErrors.callRefNotFound(body.otherCallRef, 400);
          }
          svc.during({ cause: 'PICKED_UP' }, () => pbxCall(() => pbx.pickup(device, { otherNumber: other, ...(callId ? { callId } : {}), answer: body.autoAnswer ?? false })));
          return noContent();
        },
      },
      {
        method: 'POST',
        path: '/telephony/devices/{deviceId}/unpark',
        handler: (ctx) => {
          const device = ctx.params[0] as string;
          const body = parse(UnparkBody, ctx.body, 'UnParkRequest');
          this.who(ctx, device);
          const from = body.unParkFrom ? cleanNumber(body.unParkFrom) : undefined;
          pbxCall(() => pbx.unpark(device, from ? { from } : {}));
          return noContent();
        },
      },
      { method: 'GET', path: '/telephony/state', handler: (ctx) => ok(tracker.telephonicState(this.who(ctx))) },
      {
        method: 'POST',
        path: '/telephony/state/snapshot',
        handler: (ctx) => {
          const who = svc.actingUserOrAll(ctx);
          const users = who === 'all' ? svc.users.people().filter((u) => svc.users.monitored(u) && svc.users.has(u, 'TELEPHONY_ADVANCED')) : [who];
          if (who !== 'all') this.who(ctx);
          else svc.requireLink();
          // Asynchronous: 204 now, OnTelephonyState soon after (L3027–L3028).
          for (const u of users) svc.snapshot(`telephony|${u.loginName}`, () => svc.emit({ eventName: 'OnTelephonyState', loginName: u.loginName, state: tracker.telephonicState(u) }));
          return noContent();
        },
      },
    ];
  }
}
