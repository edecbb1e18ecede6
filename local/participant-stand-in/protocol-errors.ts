/**
 * The Participant Service's errors as the AWS SDK inside amazon-connect-chatjs reads them: an HTTP status,
 * the error's name in the `x-amzn-ErrorType` header and as `__type` in the JSON body (a browser can read
 * the header only where CORS exposes it), and a `Message`.
 */

/** Status of each error the Participant Service's model declares, and the gateway's own for unknown routes. */
export const PARTICIPANT_ERROR_STATUS = {
  ValidationException: 400,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ConflictException: 409,
  RequestEntityTooLargeException: 413,
  ThrottlingException: 429,
  InternalServerException: 500,
} as const;

export type ParticipantErrorName = keyof typeof PARTICIPANT_ERROR_STATUS;

/** An answer with one of the service's errors; anything else thrown while handling a request is a 500. */
export class ParticipantServiceError extends Error {
  readonly errorName: ParticipantErrorName;
  readonly status: number;

  constructor(errorName: ParticipantErrorName, message: string) {
    super(message);
    this.name = 'ParticipantServiceError';
    this.errorName = errorName;
    this.status = PARTICIPANT_ERROR_STATUS[errorName];
  }
}

/** A token that is missing, unknown, expired or belongs to a chat that has ended, as Connect answers it. */
export function accessDenied(): ParticipantServiceError {
  return new ParticipantServiceError('AccessDeniedException', 'Access denied');
}

/** A request field that breaks the API's rules; the message names the field. */
export function invalidField(field: string, problem: string): ParticipantServiceError {
  return new ParticipantServiceError('ValidationException', `${field} ${problem}`);
}

/** The body of an error answer. */
export function errorBody(error: ParticipantServiceError): string {
  return JSON.stringify({ __type: error.errorName, Message: error.message });
}
