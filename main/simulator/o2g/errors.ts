// RestErrorInfo (L137–L170, L260–L410): every error the front-end answers is a full body of this shape, with
// the HttpStatus enum name, the API code/type/helpMessage of the manual's table and, where it applies, the
// telephony or routing sub-info. The status ↔ type pairs follow the digest's §1.6 [SIM] mapping.

export const errorTypes = {
  NOT_READY: { code: 1000, helpMessage: 'The server is not yet available. Please retry later if the initialization is not finished.', canRetry: true },
  INVALID_SESSION: { code: 1001, helpMessage: 'No valid session found for the given identifier. Please logout and login with correct credentials.', canRetry: true },
  NOT_ALLOWED: {
    code: 1002,
    helpMessage: 'The operation is not allowed, because of insufficient rights or bad credential. Please contact the administrator to fix the problem.',
    canRetry: false,
  },
  NOT_FOUND: { code: 1003, helpMessage: 'Missing or bad parameter sent by a request on a service. Fix the problem and retry.', canRetry: true },
  // Sic: no space after "state." (L148).
  NOT_EXPECTED: { code: 1004, helpMessage: "The request can not be performed due to current user's state.Check the state or fix your request before sending it back.", canRetry: true },
  NOT_SUPPORTED: { code: 1005, helpMessage: 'This operation is not supported. Please check the documentation.', canRetry: false },
  BAD_PARAMETER: { code: 1006, helpMessage: 'Request parameters are not correct. Please fix the problem and send the request back.', canRetry: true },
  SERVER_PROBLEM: { code: 1007, helpMessage: 'Server general problem. Please contact the administrator to fix the problem.', canRetry: false },
} as const;
export type ErrorType = keyof typeof errorTypes;

/** The HttpStatus enum names (L193–L251) of the statuses this front-end answers. */
const statusNames: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'REQUEST_ENTITY_TOO_LARGE',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function httpStatusName(status: number): string {
  return statusNames[status] ?? 'INTERNAL_SERVER_ERROR';
}

export type TelephonyErrorType =
  | 'UNKNOWN'
  | 'CALL_REFERENCE_NOT_FOUND'
  | 'LEG_NOT_FOUND'
  | 'BAD_PARAMETER_VALUE'
  | 'INCOMPATIBLE_WITH_STATE'
  | 'SERVICE_NOT_PROVIDED'
  | 'SERVICE_UNAVAILABLE'
  | 'INITIALIZATION'
  | 'UNAUTHORIZED'
  | 'CALL_SERVER_ERROR'
  | 'REQUEST_TIMEOUT';

export type TelephonyErrorCause =
  | 'UNKNOWN'
  | 'INVALID_CALLING'
  | 'INVALID_DESTINATION'
  | 'INVALID_CALL_ID'
  | 'INVALID_CONNECTION_STATE'
  | 'DEVICE_OUT_OF_SERVICE'
  | 'INVALID_DEVICE'
  | 'INVALID_DEVICE_STATE'
  | 'INVALID_DATA'
  | 'RESOURCE_BUSY';

export interface TelephonyErrorInfo {
  errorType: TelephonyErrorType;
  errorCause?: TelephonyErrorCause;
  message?: string;
}

export interface RoutingErrorInfo {
  errorType: 'UNKNOWN' | 'BAD_PARAMETER_VALUE' | 'UNAUTHORIZED' | 'INVALID_OPERATION' | 'INCOMPLETE_PHONE_NUMBER' | 'UNKNOWN_PHONE_NUMBER';
  destinationType?: string;
  errorCause?:
    | 'UNKNOWN'
    | 'BAD_PHONE_NUMBER_FORMAT'
    | 'INVALID_CURRENT_DEVICE'
    | 'INVALID_FORWARD_ROUTE'
    | 'INVALID_OVERFLOW_ROUTE'
    | 'NULL_OR_EMPTY_PARAMETER'
    | 'NULL_PARAMETER'
    | 'UNAUTHORIZED_CANCEL_OVERFLOW'
    | 'UNAUTHORIZED_NOT_A_USER'
    | 'UNAUTHORIZED_OVERFLOW'
    | 'UNAUTHORIZED_PHONE_NUMBER';
  message?: string;
}

export interface RestErrorInfo {
  httpStatus: string;
  code: number;
  helpMessage: string;
  type: ErrorType;
  innerMessage: string;
  canRetry: boolean;
  routing?: RoutingErrorInfo;
  telephony?: TelephonyErrorInfo;
}

/** An error answer: thrown by handlers, turned into a RestErrorInfo body by the server. */
export class O2gError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly innerMessage: string,
    readonly extra: { telephony?: TelephonyErrorInfo; routing?: RoutingErrorInfo; headers?: Record<string, string> } = {},
  ) {
    super(innerMessage);
    this.name = 'O2gError';
  }

  body(): RestErrorInfo {
    const t = errorTypes[this.type];
    return {
      httpStatus: httpStatusName(this.status),
      code: t.code,
      helpMessage: t.helpMessage,
      type: this.type,
      innerMessage: this.innerMessage,
      canRetry: t.canRetry,
      ...(this.extra.routing ? { routing: this.extra.routing } : {}),
      ...(this.extra.telephony ? { telephony: this.extra.telephony } : {}),
    };
  }
}

// ---------------------------------------------------------------- the usual ones

/** 403 1001, the body of the manual's example 2 (L162–L170). */
export function invalidSession(id?: string): O2gError {
  const tail = id ? `...${id.slice(-9)}` : '(none)';
  return new O2gError(403, 'INVALID_SESSION', `AlcChameleonException.BAD_FRAMEWORK_SESSION_IDENTIFIER No framework session in API with this ID : ${tail}`);
}

export function notAllowed(message: string, telephony?: TelephonyErrorInfo): O2gError {
  return new O2gError(403, 'NOT_ALLOWED', message, telephony ? { telephony } : {});
}

export function badParameter(message: string, telephony?: TelephonyErrorInfo): O2gError {
  return new O2gError(400, 'BAD_PARAMETER', message, telephony ? { telephony } : {});
}

export function notFound(message: string, status = 400, telephony?: TelephonyErrorInfo): O2gError {
  return new O2gError(status, 'NOT_FOUND', message, telephony ? { telephony } : {});
}

export function notExpected(message: string, telephony?: TelephonyErrorInfo): O2gError {
  return new O2gError(400, 'NOT_EXPECTED', message, telephony ? { telephony } : {});
}

export function notSupported(message: string, status = 404): O2gError {
  return new O2gError(status, 'NOT_SUPPORTED', message);
}

/** The CTI link to the PBX is down (digest §1.6: 503 SERVER_PROBLEM, telephony SERVICE_UNAVAILABLE). */
export function linkDown(): O2gError {
  return new O2gError(503, 'SERVER_PROBLEM', 'AlcChameleonException.CTI_LINK_DOWN The CTI link to the PBX is out of service', {
    telephony: { errorType: 'SERVICE_UNAVAILABLE', errorCause: 'UNKNOWN', message: 'CTI link down' },
  });
}

export const telephonyErrors = {
  callRefNotFound: (ref: string, status: 400 | 404): O2gError =>
    notFound(`No call with reference ${ref} for this user`, status, { errorType: 'CALL_REFERENCE_NOT_FOUND', errorCause: 'INVALID_CALL_ID', message: `unknown callRef ${ref}` }),
  incompatible: (message: string): O2gError => notExpected(message, { errorType: 'INCOMPATIBLE_WITH_STATE', errorCause: 'INVALID_CONNECTION_STATE', message }),
  badValue: (message: string, cause: TelephonyErrorCause = 'INVALID_DATA'): O2gError => badParameter(message, { errorType: 'BAD_PARAMETER_VALUE', errorCause: cause, message }),
  unauthorized: (message: string): O2gError => notAllowed(message, { errorType: 'UNAUTHORIZED', errorCause: 'INVALID_DEVICE', message }),
  serviceUnavailable: (message: string): O2gError => notExpected(message, { errorType: 'SERVICE_UNAVAILABLE', errorCause: 'UNKNOWN', message }),
  notProvided: (message: string): O2gError => notExpected(message, { errorType: 'SERVICE_NOT_PROVIDED', errorCause: 'UNKNOWN', message }),
  invalidDestination: (message: string): O2gError => badParameter(message, { errorType: 'BAD_PARAMETER_VALUE', errorCause: 'INVALID_DESTINATION', message }),
};
