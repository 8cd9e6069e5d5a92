import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { domainOf } from '../../../shared/mail/address';
import { MailHostRefusedError, resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import type { SmtpEndpoint } from '../domain/MailHostDirectory';
import type { MailHostProbe, ProbeLogin, SenderProbe, VerifyReport, VerifyStep, VerifyStepName } from '../domain/MailHostProbe';
import { senderAllowed } from '../domain/senderPolicy';
import { message, type Message, type MessageCode } from '../../../shared/messages/message';
import { describeReply, isSenderRefusal } from '../../../shared/smtp/replies';
import { HOST_LOOKUP } from '../tokens';
import { SmtpTimeoutError } from '../../../shared/smtp/errors';
import type { SmtpReply } from '../../../shared/smtp/ReplyReader';
import { authenticate, authMechanisms, hello, SmtpConnection, tlsOptionsFor } from '../../../shared/smtp/SmtpConnection';

export const PROBE_STEP_TIMEOUT_MS = 15_000;

/** A step that failed; its detail is already in words for the admin. */
class StepFailed extends Error {
  constructor(readonly detail: Message) {
    super(detail.message);
  }
}

/**
 * Checks a host step by step over a hand-written SMTP session (MAIL FROM, RCPT and RSET without
 * DATA is nothing a mail library offers). The address connected to is the one the network
 * guard checked; the host name is kept for TLS.
 */
@injectable()
export class SmtpMailHostProbe implements MailHostProbe {
  private readonly stepTimeoutMs = PROBE_STEP_TIMEOUT_MS;

  constructor(
    @inject(CONFIG) private readonly config: Config,
    @inject(HOST_LOOKUP) private readonly lookup: HostLookup,
  ) {}

  async verify(endpoint: SmtpEndpoint, senders: SenderProbe[], recipient: string, allowedSenders: string[], login?: ProbeLogin): Promise<VerifyReport> {
    const steps: VerifyStep[] = [];
    const pending: VerifyStepName[] = ['connect', 'tls', 'auth'];
    const done = (step: VerifyStepName, ok: boolean, outcome: Message, extra: Partial<VerifyStep> = {}): void => {
      if (pending.includes(step)) pending.splice(pending.indexOf(step), 1);
      steps.push({ step, ok, ...extra, ...stepDetail(outcome) });
    };
    let session: SmtpConnection | undefined;
    let current: VerifyStepName = 'connect';
    let probed = 0;
    try {
      const target = `${endpoint.host}:${endpoint.port}`;
      let address: string;
      try {
        address = (await resolveMailHost(endpoint.host, { allowPrivate: this.config.smtpAllowPrivateHosts, lookup: this.lookup })).address;
      } catch (error) {
        if (error instanceof MailHostRefusedError) throw new StepFailed(error.detail);
        throw error;
      }
      const secrets = [...(endpoint.password ? [endpoint.password] : []), ...(login ? await login.prepare() : [])];
      session = await SmtpConnection.connect(address, endpoint.port, this.stepTimeoutMs, secrets).catch((error: unknown) => {
        throw new StepFailed(connectProblem(error, target));
      });

      let capabilities: string[];
      if (endpoint.security === 'tls') {
        done('connect', true, message('verify_connected', { target, address }));
        current = 'tls';
        await this.startTls(session, endpoint);
        await this.expectGreeting(session);
        capabilities = await this.ehlo(session);
        done('tls', true, message(endpoint.caCertificate ? 'verify_tls_implicit_pinned' : 'verify_tls_implicit', { host: endpoint.host }));
      } else {
        await this.expectGreeting(session);
        capabilities = await this.ehlo(session);
        done('connect', true, message('verify_connected_smtp', { target, address }));
        current = 'tls';
        if (endpoint.security === 'none') {
          done('tls', true, message('verify_tls_skipped_none'), { skipped: true });
        } else {
          if (!capabilities.includes('STARTTLS')) {
            throw new StepFailed(message('verify_starttls_missing', { host: endpoint.host }));
          }
          const reply = await session.command('STARTTLS', this.stepTimeoutMs);
          if (reply.code !== 220) throw new StepFailed(message('verify_starttls_refused', { reply: describeReply(reply) }));
          await this.startTls(session, endpoint);
          capabilities = await this.ehlo(session);
          done('tls', true, message(endpoint.caCertificate ? 'verify_starttls_pinned' : 'verify_starttls', { host: endpoint.host }));
        }
      }

      current = 'auth';
      if (login) {
        const result = await login.authenticate(session, capabilities, this.stepTimeoutMs);
        if (!result.ok) throw new StepFailed(result.detail);
        done('auth', true, result.detail);
      } else if (endpoint.username === undefined || endpoint.password === undefined) {
        done('auth', true, message('verify_auth_skipped'), { skipped: true });
      } else {
        await this.authenticate(session, endpoint, capabilities);
        done('auth', true, message('verify_logged_in', { username: endpoint.username }));
      }

      current = 'sender';
      const policy = probePolicy(senders, allowedSenders);
      for (const sender of senders) {
        const result = await this.probeSender(session, sender, recipient, policy);
        steps.push({ step: 'sender', ok: result.ok, address: sender.address, ...stepDetail(result.detail) });
        probed += 1;
      }
      await session.quit(this.stepTimeoutMs);
    } catch (error) {
      session?.close();
      const detail =
        error instanceof StepFailed
          ? error.detail
          : error instanceof SmtpTimeoutError
            ? message('verify_timeout', { seconds: Math.round(this.stepTimeoutMs / 1000) })
            : networkProblem(error);
      const notTried = message('verify_step_not_tried', { failedStep: current });
      if (current === 'sender') {
        steps.push({ step: 'sender', ok: false, address: senders[probed]!.address, ...stepDetail(detail) });
        probed += 1;
      } else {
        done(current, false, detail);
        for (const step of [...pending]) done(step, false, notTried, { skipped: true });
      }
      for (const sender of senders.slice(probed)) steps.push({ step: 'sender', ok: false, skipped: true, address: sender.address, ...stepDetail(notTried) });
    }
    return { ok: steps.every((step) => step.ok), steps };
  }

  private async expectGreeting(session: SmtpConnection): Promise<void> {
    const greeting = await session.read(this.stepTimeoutMs);
    if (greeting.code !== 220) throw new StepFailed(message('verify_greeting_refused', { reply: describeReply(greeting) }));
  }

  private async ehlo(session: SmtpConnection): Promise<string[]> {
    const greeted = await hello(session, this.stepTimeoutMs);
    if ('refusal' in greeted) throw new StepFailed(message('verify_ehlo_refused', { reply: describeReply(greeted.refusal) }));
    return greeted.capabilities;
  }

  private async startTls(session: SmtpConnection, endpoint: SmtpEndpoint): Promise<void> {
    try {
      await session.upgrade(tlsOptionsFor(endpoint.host, endpoint.caCertificate), this.stepTimeoutMs);
    } catch (error) {
      if (error instanceof SmtpTimeoutError)
        throw new StepFailed(message('verify_tls_timeout', { host: endpoint.host, seconds: Math.round(this.stepTimeoutMs / 1000) }));
      const code = (error as { code?: string }).code;
      const reason = `${code ? `${code}: ` : ''}${(error as Error).message}`;
      throw new StepFailed(
        message(endpoint.caCertificate ? 'verify_certificate_not_pinned_ca' : 'verify_certificate_invalid', { host: endpoint.host, reason }),
      );
    }
  }

  private async authenticate(session: SmtpConnection, endpoint: SmtpEndpoint, capabilities: string[]): Promise<void> {
    const username = endpoint.username!;
    const reply = await authenticate(session, capabilities, username, endpoint.password!, this.stepTimeoutMs);
    if (reply === 'no-mechanism') {
      const mechanisms = authMechanisms(capabilities);
      throw new StepFailed(message('verify_auth_no_mechanism', { mechanisms: mechanisms.length ? ` (only ${mechanisms.join(', ')})` : '' }));
    }
    if (reply.code === 235) return;
    if (reply.code === 535 || reply.enhanced === '5.7.8') {
      throw new StepFailed(message(loginRefusal(endpoint), { username, reply: describeReply(reply) }));
    }
    throw new StepFailed(
      message(reply.code >= 400 && reply.code < 500 ? 'verify_login_failed_temporary' : 'verify_login_failed', { username, reply: describeReply(reply) }),
    );
  }

  private async probeSender(session: SmtpConnection, sender: SenderProbe, recipient: string, policy: ProbePolicy): Promise<{ ok: boolean; detail: Message }> {
    try {
      const mail = await session.command(`MAIL FROM:<${sender.address}>`, this.stepTimeoutMs);
      if (mail.code !== 250) return refusal(sender, mail, 'MAIL', recipient, policy);
      const rcpt = await session.command(`RCPT TO:<${recipient}>`, this.stepTimeoutMs);
      if (rcpt.code !== 250 && rcpt.code !== 251) return refusal(sender, rcpt, 'RCPT', recipient, policy);
      return { ok: true, detail: accepted(sender, policy) };
    } finally {
      await session.command('RSET', this.stepTimeoutMs).catch(() => undefined);
    }
  }
}

/** What the tenant's policy says: the patterns, and the domains it owns (its alert address's and those its patterns name). */
interface ProbePolicy {
  allowedSenders: string[];
  alertDomain: string;
  ownDomains: Set<string>;
}

function probePolicy(senders: SenderProbe[], allowedSenders: string[]): ProbePolicy {
  const alert = senders.find((sender) => sender.isAlertSender);
  const alertDomain = alert ? domainOf(alert.address).toLowerCase() : '';
  return { allowedSenders, alertDomain, ownDomains: new Set([alertDomain, ...allowedSenders.map((pattern) => domainOf(pattern).toLowerCase())]) };
}

/**
 * A refusal is a failure only for an address the policy claims (the alert address, or one that
 * allowedSenders covers): a probe outside the policy that the host refuses is what should happen.
 */
function refusal(sender: SenderProbe, reply: SmtpReply, command: 'MAIL' | 'RCPT', recipient: string, policy: ProbePolicy): { ok: boolean; detail: Message } {
  const { address } = sender;
  const answer = describeReply(reply);
  const claimed = sender.isAlertSender || sender.allowedByPolicy;
  if (reply.code >= 400 && reply.code < 500) return { ok: !claimed, detail: message('verify_sender_temporary', { address, reply: answer }) };
  if (!isSenderRefusal(reply, command)) {
    const detail =
      command === 'RCPT'
        ? message('verify_recipient_refused', { address, recipient, reply: answer })
        : message('verify_mail_from_refused', { address, reply: answer });
    return { ok: !claimed, detail };
  }
  if (!claimed) return { ok: true, detail: message('verify_unlisted_sender_refused', { address, reply: answer }) };
  if (sender.isAlertSender) return { ok: false, detail: message('verify_alert_sender_refused', { address, reply: answer }) };
  const domain = domainOf(address).toLowerCase();
  // Advice to let the login send as a whole domain only for the tenant's own (its alert address's) domain.
  const ownDomain = domain === policy.alertDomain;
  const allowedSenders = policy.allowedSenders.length ? policy.allowedSenders.join(', ') : '*';
  const pattern = policy.allowedSenders.find((candidate) => senderAllowed([candidate], address));
  const params = { address, reply: answer, allowedSenders, ...(ownDomain ? { domainPattern: `*@${domain}` } : {}), ...(pattern ? { pattern } : {}) };
  if (pattern) return { ok: false, detail: message(ownDomain ? 'verify_allowed_sender_refused' : 'verify_allowed_sender_refused_elsewhere', params) };
  return { ok: false, detail: message(ownDomain ? 'verify_listed_sender_refused' : 'verify_listed_sender_refused_elsewhere', params) };
}

function accepted(sender: SenderProbe, policy: ProbePolicy): Message {
  const { address } = sender;
  if (sender.isAlertSender) return message('verify_alert_sender_accepted', { address });
  if (sender.allowedByPolicy) return message('verify_allowed_sender_accepted', { address });
  const domain = domainOf(address).toLowerCase();
  const allowedSenders = policy.allowedSenders.join(', ');
  if (policy.ownDomains.has(domain)) return message('verify_unlisted_sender_accepted', { address, allowedSenders, domainPattern: `*@${domain}` });
  return message('verify_foreign_sender_accepted', { address, allowedSenders, domain });
}

/** Hosts whose refused login has a known cause worth naming. */
function loginRefusal(endpoint: SmtpEndpoint): MessageCode {
  if (/mandrillapp\.com$/i.test(endpoint.host)) return 'verify_login_refused_mandrill';
  if (/gmx\.(net|ch|de|at|com)$/i.test(endpoint.host)) return 'verify_login_refused_gmx';
  return 'verify_login_refused';
}

function stepDetail(outcome: Message): Pick<VerifyStep, 'detail' | 'code' | 'params'> {
  return { detail: outcome.message, code: outcome.code, params: outcome.params };
}

function connectProblem(error: unknown, target: string): Message {
  switch ((error as { code?: string }).code) {
    case 'ECONNREFUSED':
      return message('verify_connect_refused', { target });
    case 'ECONNRESET':
      return message('verify_connect_reset', { target });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return message('verify_connect_unreachable', { target });
    default:
      return message('verify_connect_failed', { target, error: (error as Error)?.message ?? String(error) });
  }
}

function networkProblem(error: unknown): Message {
  switch ((error as { code?: string }).code) {
    case 'ECONNREFUSED':
      return message('connection_refused');
    case 'ECONNRESET':
      return message('connection_reset');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return message('host_unreachable');
    default:
      return message('network_error', { error: (error as Error)?.message ?? String(error) });
  }
}
