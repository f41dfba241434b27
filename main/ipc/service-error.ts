/**
 * An expected failure a service reports to the user (bad input, unknown id, SIP failure). The IPC router
 * turns it into `{ ok: false, error: { code, message } }`; anything else that throws is a programmer fault
 * and becomes `internal` (logged, never crossing IPC as an exception).
 */
export class ServiceError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }
}
