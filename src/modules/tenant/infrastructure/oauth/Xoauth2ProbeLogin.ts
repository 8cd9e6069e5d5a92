import { message, type Message } from '../../../../shared/messages/message';
import { describeReply } from '../../../../shared/smtp/replies';
import type { SmtpConnection } from '../../../../shared/smtp/SmtpConnection';
import { authenticateXOAuth2, offersXOAuth2, xoauth2Response } from '../../../../shared/smtp/xoauth2';
import type { SmtpEndpoint } from '../../domain/MailHostDirectory';
import type { ProbeLogin } from '../../domain/MailHostProbe';
import { TokenError, type AccessToken, type AccessTokens } from '../../domain/oauth/AccessTokens';
import { isSmtpAuthDisabled, smtpAuthDisabled, tokenRefusedByHost } from '../../domain/oauth/oauth2Reasons';

/** The probe's AUTH XOAUTH2 as `mailbox`, as delivery does it: a refused token is renewed once. */
export class Xoauth2ProbeLogin implements ProbeLogin {
  private readonly secrets: string[] = [];
  private first?: AccessToken | TokenError;

  constructor(
    private readonly tokens: AccessTokens,
    private readonly endpoint: SmtpEndpoint,
    readonly mailbox: string,
  ) {}

  /** The first token before the connection, so that the connection redacts it; a refusal is reported at the auth step. */
  async prepare(): Promise<string[]> {
    this.first = await this.fetch();
    if (!(this.first instanceof TokenError)) this.secrets.push(this.first.value);
    return [...this.secrets];
  }

  private async fetch(): Promise<AccessToken | TokenError> {
    try {
      return await this.tokens.get(this.endpoint, this.mailbox, 'smtp');
    } catch (error) {
      if (error instanceof TokenError) return error;
      throw error;
    }
  }

  async authenticate(session: SmtpConnection, capabilities: string[], timeoutMs: number): Promise<{ ok: boolean; detail: Message }> {
    return this.login(session, capabilities, timeoutMs);
  }

  /** A host may quote what it was sent: no token, nor its SASL form, leaves in a detail. */
  private redact(text: string): string {
    const forms = this.secrets.flatMap((token) => [token, xoauth2Response(this.mailbox, token)]);
    return forms.reduce((result, form) => result.split(form).join('[redacted]'), text);
  }

  private async login(session: SmtpConnection, capabilities: string[], timeoutMs: number): Promise<{ ok: boolean; detail: Message }> {
    const { mailbox } = this;
    if (!offersXOAuth2(capabilities))
      return { ok: false, detail: message('verify_xoauth2_missing', { target: `${this.endpoint.host}:${this.endpoint.port}` }) };
    for (let attempt = 1; ; attempt++) {
      const token = attempt === 1 && this.first ? this.first : await this.fetch();
      if (token instanceof TokenError) return { ok: false, detail: token.detail };
      if (!this.secrets.includes(token.value)) this.secrets.push(token.value);
      const reply = await authenticateXOAuth2(session, mailbox, token.value, timeoutMs);
      if (reply.code === 235) return { ok: true, detail: message('verify_xoauth2_logged_in', { mailbox }) };
      // the reply is the only part a host writes: redacted before it enters text and params
      const said = this.redact(describeReply(reply));
      if (isSmtpAuthDisabled(reply.text)) return { ok: false, detail: smtpAuthDisabled(mailbox, said) };
      if (reply.code < 500) return { ok: false, detail: message('verify_xoauth2_temporary', { mailbox, reply: said }) };
      this.tokens.drop(this.endpoint, mailbox, 'smtp', token);
      if (attempt === 2) return { ok: false, detail: tokenRefusedByHost(this.endpoint.oauth2?.provider === 'google' ? 'google' : 'microsoft', mailbox, said) };
    }
  }
}
