import type { Message } from '../../../shared/messages/message';

/** Where in the SMTP exchange a delivery failed. */
export type DeliveryPhase = 'guard' | 'connect' | 'tls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'other';

export interface RecipientRefusal {
  address: string;
  code?: number;
  response: string;
}

/** A failed hand-over to a mail host, with what the host (or the network) said. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly details: {
      phase: DeliveryPhase;
      /** The SMTP reply code, e.g. 451 or 535. */
      replyCode?: number;
      /** The enhanced status code of the reply (RFC 3463), e.g. `5.7.1`. */
      enhancedCode?: string;
      /** The host's reply line as it was received. */
      response?: string;
      /** A transport error code such as ECONNECTION, ETIMEDOUT, ETLS. */
      errorCode?: string;
      /** Recipients refused at RCPT when every one of them was refused. */
      rejected?: RecipientRefusal[];
      /** True when retrying can never help (e.g. the network guard refused the host). */
      permanent?: boolean;
      /** For a refused login: what to fix, in plain words naming the setting (OAuth 2.0 logins). */
      fix?: Message;
      /** The sender was refused before any host was asked (an identity provider that knows no such mailbox). */
      senderRefused?: boolean;
      /** The failure as code and params, when the one who raised it had them (the network guard, an identity provider). */
      detail?: Message;
    },
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
