/** The host did not answer (or connect, or finish the handshake) in time. */
export class SmtpTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly ms: number) {
    super(`no answer within ${Math.round(ms / 1000)} s`);
    this.name = 'SmtpTimeoutError';
  }
}

/** The host closed the connection, or broke the protocol so that the session cannot go on. */
export class SmtpConnectionError extends Error {
  constructor(
    message: string,
    readonly code: 'ECONNECTION' | 'EPROTOCOL' = 'ECONNECTION',
  ) {
    super(message);
    this.name = 'SmtpConnectionError';
  }
}
