// One typed request/reply exchange over a transport: encode, trace, send, trace, decode.
// A reply that does not decode becomes CtiError('protocol') carrying the codec's excerpt.
import { CtiError, type ErrorCode } from '../../../shared/commands.js';
import type { TraceFn } from '../../core/log.js';
import { decodeReply, encodeRequest, type TelErrorName, type TelReply, type TelRequest } from './codec.js';
import type { RequestOptions, TelTransport } from './tcp-transport.js';

export async function exchange(
  transport: TelTransport,
  request: TelRequest,
  trace: TraceFn,
  channel: string,
  opts: RequestOptions = {},
): Promise<TelReply> {
  const xml = encodeRequest(request);
  trace('out', channel, xml);
  const text = await transport.request(xml, opts);
  trace('in', channel, text);
  const reply = decodeReply(text);
  if (!reply.ok) {
    throw new CtiError('protocol', `TelServer sent an unreadable reply to ${request.op}: ${reply.error.kind}: ${reply.error.message}`);
  }
  return reply.value;
}

/** TelServices error tokens → contract error codes (shared/commands.ts). */
const errorCodeOf: Record<TelErrorName, ErrorCode> = {
  invalidCredentials: 'authFailed',
  sessionLimitExceeded: 'limit',
  pbxlinkOutOfService: 'linkDown',
  pbxReject: 'rejected',
  reject: 'rejected',
  noCall: 'noCall',
  noOpenSession: 'sessionLost',
  pbxTimeout: 'timeout',
  resourceError: 'rejected',
};

const errorText: Record<TelErrorName, string> = {
  invalidCredentials: 'the user id or password was refused',
  sessionLimitExceeded: "the server's licensed session limit is reached",
  pbxlinkOutOfService: "the server's PBX link is out of service",
  pbxReject: 'the PBX refused the request',
  reject: 'TelServer refused the request',
  noCall: 'there is no call in the expected state',
  noOpenSession: 'the server has no open session for this device',
  pbxTimeout: 'the PBX did not answer in time',
  resourceError: 'the server ran out of resources',
};

/** The CtiError for an error reply, naming the vendor token. */
export function replyError(reply: Extract<TelReply, { kind: 'error' | 'unknownError' }>, op: string): CtiError {
  if (reply.kind === 'unknownError') {
    return new CtiError('rejected', `${op}: TelServer answered with an unknown error <${reply.error}/>`, reply.error);
  }
  return new CtiError(errorCodeOf[reply.error], `${op}: ${errorText[reply.error]} (TelServices ${reply.error})`, reply.error);
}

/** Throw the mapped CtiError when the reply is an error; otherwise return it. */
export function expectOk(reply: TelReply, op: string): Exclude<TelReply, { kind: 'error' | 'unknownError' }> {
  if (reply.kind === 'error' || reply.kind === 'unknownError') throw replyError(reply, op);
  return reply;
}
