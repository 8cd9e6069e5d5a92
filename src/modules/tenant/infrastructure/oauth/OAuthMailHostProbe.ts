import { inject, injectable } from 'inversify';
import { jwtPayload } from '../../../../shared/crypto/jwt';
import { message, wrapping, type Message } from '../../../../shared/messages/message';
import type { SmtpEndpoint } from '../../domain/MailHostDirectory';
import type { MailHostProbe, SenderProbe, VerifyReport, VerifyStep } from '../../domain/MailHostProbe';
import { TokenError, type AccessTokens, type TokenAudience } from '../../domain/oauth/AccessTokens';
import { ACCESS_TOKENS } from '../../tokens';
import { SmtpMailHostProbe } from '../SmtpMailHostProbe';
import { Xoauth2ProbeLogin } from './Xoauth2ProbeLogin';

const REQUIRED_ROLE: Record<TokenAudience, string> = { smtp: 'SMTP.SendAsApp', graph: 'Mail.Send' };
const PERMISSION_OF: Record<TokenAudience, string> = { smtp: 'Office 365 Exchange Online → SMTP.SendAsApp', graph: 'Microsoft Graph → Mail.Send' };

/**
 * Verify for OAuth 2.0 tenants: first a `token` step (for Microsoft the token's `roles` are read),
 * then connect, tls and auth as the alert address and one session per probe sender, each logged
 * in as that sender, since every sender authenticates as its own mailbox. Under `transport:
 * graph` there is no SMTP to check. Other tenants go to the SMTP probe as they are.
 */
@injectable()
export class OAuthMailHostProbe implements MailHostProbe {
  constructor(
    @inject(SmtpMailHostProbe) private readonly smtp: SmtpMailHostProbe,
    @inject(ACCESS_TOKENS) private readonly tokens: AccessTokens,
  ) {}

  async verify(endpoint: SmtpEndpoint, senders: SenderProbe[], recipient: string, allowedSenders: string[]): Promise<VerifyReport> {
    if (!endpoint.oauth2) return this.smtp.verify(endpoint, senders, recipient, allowedSenders);
    const graph = endpoint.transport === 'graph';
    const [alert, ...others] = senders;
    const { step: token, obtained } = await this.tokenStep(endpoint, alert!.address, graph ? 'graph' : 'smtp');
    const steps: VerifyStep[] = [token];
    if (!obtained) {
      const notTried = stepDetail(message('verify_step_not_tried', { failedStep: 'token' }));
      for (const step of ['connect', 'tls', 'auth'] as const) steps.push({ step, ok: false, skipped: true, ...notTried });
      for (const sender of senders) steps.push({ step: 'sender', ok: false, skipped: true, address: sender.address, ...notTried });
      return { ok: false, steps };
    }
    if (graph) {
      for (const step of ['connect', 'tls', 'auth'] as const) steps.push({ step, ok: true, skipped: true, ...stepDetail(message('verify_graph_no_smtp')) });
      for (const sender of senders)
        steps.push({ step: 'sender', ok: true, skipped: true, address: sender.address, ...stepDetail(message('verify_graph_sender_unchecked')) });
      return { ok: steps.every((step) => step.ok), steps };
    }
    steps.push(...(await this.smtp.verify(endpoint, [alert!], recipient, allowedSenders, new Xoauth2ProbeLogin(this.tokens, endpoint, alert!.address))).steps);
    for (const sender of others) steps.push(await this.probeAsItself(endpoint, sender, recipient, allowedSenders));
    return { ok: steps.every((step) => step.ok), steps };
  }

  /** A token step that fails with a token (a missing role) lets the other steps run: they show what that costs. */
  private async tokenStep(endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience): Promise<{ step: VerifyStep; obtained: boolean }> {
    let value: string;
    try {
      value = (await this.tokens.get(endpoint, mailbox, audience)).value;
    } catch (error) {
      if (error instanceof TokenError)
        return { step: { step: 'token', ok: false, ...stepDetail(wrapping('verify_token_failed', {}, error.detail)) }, obtained: false };
      throw error;
    }
    return { step: this.rolesStep(endpoint, mailbox, audience, value), obtained: true };
  }

  private rolesStep(endpoint: SmtpEndpoint, mailbox: string, audience: TokenAudience, value: string): VerifyStep {
    const oauth2 = endpoint.oauth2!;
    if (oauth2.provider !== 'microsoft') return { step: 'token', ok: true, ...stepDetail(message('verify_token_delegated', { mailbox })) };
    const roles = jwtPayload(value)?.roles;
    const granted = Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
    const required = REQUIRED_ROLE[audience];
    if (!granted.includes(required)) {
      return {
        step: 'token',
        ok: false,
        ...stepDetail(
          message('verify_token_role_missing', {
            role: required,
            roles: granted.join(', ') || '—',
            clientId: oauth2.clientId,
            permission: PERMISSION_OF[audience],
          }),
        ),
      };
    }
    return { step: 'token', ok: true, ...stepDetail(message('verify_token_granted', { clientId: oauth2.clientId, role: required })) };
  }

  /** One session logged in as the sender: its auth result, then MAIL FROM and RCPT as itself. */
  private async probeAsItself(endpoint: SmtpEndpoint, sender: SenderProbe, recipient: string, allowedSenders: string[]): Promise<VerifyStep> {
    if (!sender.allowedByPolicy) {
      return {
        step: 'sender',
        ok: true,
        skipped: true,
        address: sender.address,
        ...stepDetail(message('verify_sender_not_covered', { address: sender.address })),
      };
    }
    const report = await this.smtp.verify(endpoint, [sender], recipient, allowedSenders, new Xoauth2ProbeLogin(this.tokens, endpoint, sender.address));
    const failed = report.steps.find((step) => step.step !== 'sender' && !step.ok && !step.skipped);
    if (failed) {
      const cause = { code: failed.code, params: failed.params, message: failed.detail };
      return {
        step: 'sender',
        ok: false,
        address: sender.address,
        ...stepDetail(wrapping('verify_sender_login_failed', { address: sender.address, failedStep: failed.step }, cause)),
      };
    }
    return report.steps.find((step) => step.step === 'sender')!;
  }
}

function stepDetail(outcome: Message): Pick<VerifyStep, 'detail' | 'code' | 'params'> {
  return { detail: outcome.message, code: outcome.code, params: outcome.params };
}
