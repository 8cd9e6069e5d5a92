import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import type { FakeIdentityProvider } from './FakeIdentityProvider';

export interface OAuthMail {
  /** The mailbox the session authenticated as. */
  user: string;
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

/**
 * Exchange Online or Gmail as far as kos-notify meets them: `AUTH XOAUTH2` only, accepted with a
 * live token of the fake identity provider for the mailbox it names (Microsoft: an SMTP token
 * with `SMTP.SendAsApp` for an app that Exchange lets act as the mailbox; Google: a token whose
 * subject is the mailbox). A refused token gets `334 <JSON>` and, after the empty line, 535.
 * Mailboxes in `sendAsDenied` are answered `554 5.2.252 SendAsDenied` after DATA, as Exchange does.
 */
export class OAuthSmtpHost {
  readonly received: OAuthMail[] = [];
  readonly logins: Array<{ mailbox: string; ok: boolean; token: string }> = [];
  /** Microsoft: the mailboxes the app's service principal has rights on (`*` = all). */
  readonly permittedMailboxes = new Set<string>(['*']);
  /** Mailboxes whose SMTP AUTH is switched off (535 5.7.139). */
  readonly smtpAuthDisabled = new Set<string>();
  readonly sendAsDenied = new Set<string>();
  /** Refuse every token, live or not (a host that has revoked the app). */
  refuseAll = false;
  /** A hostile host: its refusal quotes the token it was sent. */
  echoTokens = false;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(idp: FakeIdentityProvider, provider: 'microsoft' | 'google'): Promise<OAuthSmtpHost> {
    let self!: OAuthSmtpHost;
    const server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authMethods: ['XOAUTH2'],
      authOptional: false,
      allowInsecureAuth: true,
      disableReverseLookup: true,
      logger: false,
      closeTimeout: 500,
      onAuth: (auth: SMTPServerAuthentication, _session, callback) => {
        const mailbox = (auth.username ?? '').toLowerCase();
        const token = auth.accessToken ?? '';
        if (self.smtpAuthDisabled.has(mailbox)) {
          self.logins.push({ mailbox, ok: false, token });
          return callback(
            Object.assign(new Error('5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.'), { responseCode: 535 }),
          );
        }
        const ok = !self.refuseAll && self.accepts(idp, provider, mailbox, token);
        self.logins.push({ mailbox, ok, token });
        if (!ok && self.echoTokens) return callback(Object.assign(new Error(`5.7.3 Authentication unsuccessful for token ${token}`), { responseCode: 535 }));
        if (!ok) return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } } as never);
        callback(null, { user: mailbox });
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '';
          const user = String(session.user);
          if (self.sendAsDenied.has(from) || from !== user) {
            return callback(
              Object.assign(
                new Error(
                  `5.2.252 SendAsDenied; ${user} not allowed to send as ${from}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied`,
                ),
                { responseCode: 554 },
              ),
            );
          }
          self.received.push({ user, envelope: { from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) }, raw: Buffer.concat(chunks) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new OAuthSmtpHost(server, (server.server.address() as AddressInfo).port);
    return self;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accepts(idp: FakeIdentityProvider, provider: 'microsoft' | 'google', mailbox: string, token: string): boolean {
    const issued = idp.live(token);
    if (!issued || issued.provider !== provider || issued.audience !== 'smtp') return false;
    if (provider === 'google') return issued.mailbox === mailbox;
    return issued.roles.includes('SMTP.SendAsApp') && (this.permittedMailboxes.has('*') || this.permittedMailboxes.has(mailbox));
  }
}
