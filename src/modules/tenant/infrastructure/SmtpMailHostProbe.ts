import { inject, injectable } from 'inversify';
import type { Config } from '../../../shared/config/Config';
import { domainOf } from '../../../shared/mail/address';
import { MailHostRefusedError, resolveMailHost, type HostLookup } from '../../../shared/net/hostGuard';
import { CONFIG } from '../../../shared/tokens';
import type { SmtpEndpoint } from '../domain/MailHostDirectory';
import type { MailHostProbe, ProbeLogin, SenderProbe, VerifyReport, VerifyStep, VerifyStepName } from '../domain/MailHostProbe';
import { senderAllowed } from '../domain/senderPolicy';
import { describeReply, isSenderRefusal } from '../../../shared/smtp/replies';
import { HOST_LOOKUP } from '../tokens';
import { SmtpTimeoutError } from '../../../shared/smtp/errors';
import type { SmtpReply } from '../../../shared/smtp/ReplyReader';
import { authenticate, authMechanisms, hello, SmtpConnection, tlsOptionsFor } from '../../../shared/smtp/SmtpConnection';

export const PROBE_STEP_TIMEOUT_MS = 15_000;

/** A step that failed; its detail is already in words for the admin. */
class StepFailed extends Error {}

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
    const done = (step: VerifyStepName, ok: boolean, detail: string, extra: Partial<VerifyStep> = {}): void => {
      if (pending.includes(step)) pending.splice(pending.indexOf(step), 1);
      steps.push({ step, ok, ...extra, detail });
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
        if (error instanceof MailHostRefusedError) throw new StepFailed(error.message);
        throw error;
      }
      const secrets = [...(endpoint.password ? [endpoint.password] : []), ...(login ? await login.prepare() : [])];
      session = await SmtpConnection.connect(address, endpoint.port, this.stepTimeoutMs, secrets).catch((error: unknown) => {
        throw new StepFailed(`could not connect to ${target}: ${networkProblem(error)}`);
      });

      let capabilities: string[];
      if (endpoint.security === 'tls') {
        done('connect', true, `connected to ${target} (${address})`);
        current = 'tls';
        await this.startTls(session, endpoint);
        await this.expectGreeting(session);
        capabilities = await this.ehlo(session);
        done('tls', true, `implicit TLS established; the certificate of ${endpoint.host} is valid${endpoint.caCertificate ? ' for the pinned mail.caCertificate' : ''}`);
      } else {
        await this.expectGreeting(session);
        capabilities = await this.ehlo(session);
        done('connect', true, `connected to ${target} (${address}); the host greets as an SMTP server`);
        current = 'tls';
        if (endpoint.security === 'none') {
          done('tls', true, 'not tried: mail.security is "none" (allowed for private hosts only)', { skipped: true });
        } else {
          if (!capabilities.includes('STARTTLS')) {
            throw new StepFailed(`${endpoint.host} does not offer STARTTLS, which mail.security "starttls" requires; the password was not sent. Enable STARTTLS on the host, or use port 465 with security "tls"`);
          }
          const reply = await session.command('STARTTLS', this.stepTimeoutMs);
          if (reply.code !== 220) throw new StepFailed(`the host refused STARTTLS: ${describeReply(reply)}; the password was not sent`);
          await this.startTls(session, endpoint);
          capabilities = await this.ehlo(session);
          done('tls', true, `STARTTLS established; the certificate of ${endpoint.host} is valid${endpoint.caCertificate ? ' for the pinned mail.caCertificate' : ''}`);
        }
      }

      current = 'auth';
      if (login) {
        const result = await login.authenticate(session, capabilities, this.stepTimeoutMs);
        if (!result.ok) throw new StepFailed(result.detail);
        done('auth', true, result.detail);
      } else if (endpoint.username === undefined || endpoint.password === undefined) {
        done('auth', true, 'not tried: no login (mail.username and password) configured', { skipped: true });
      } else {
        await this.authenticate(session, endpoint, capabilities);
        done('auth', true, `logged in as ${endpoint.username}`);
      }

      current = 'sender';
      const policy = probePolicy(senders, allowedSenders);
      for (const sender of senders) {
        const result = await this.probeSender(session, sender, recipient, policy);
        steps.push({ step: 'sender', ok: result.ok, address: sender.address, detail: result.detail });
        probed += 1;
      }
      await session.quit(this.stepTimeoutMs);
    } catch (error) {
      session?.close();
      const detail = error instanceof StepFailed ? error.message : error instanceof SmtpTimeoutError ? `the host did not answer within ${Math.round(this.stepTimeoutMs / 1000)} s` : networkProblem(error);
      if (current === 'sender') {
        steps.push({ step: 'sender', ok: false, address: senders[probed]!.address, detail });
        probed += 1;
      } else {
        done(current, false, detail);
        for (const step of [...pending]) done(step, false, `not tried: the ${current} step failed`, { skipped: true });
      }
      for (const sender of senders.slice(probed)) steps.push({ step: 'sender', ok: false, skipped: true, address: sender.address, detail: `not tried: the ${current} step failed` });
    }
    return { ok: steps.every((step) => step.ok), steps };
  }

  private async expectGreeting(session: SmtpConnection): Promise<void> {
    const greeting = await session.read(this.stepTimeoutMs);
    if (greeting.code !== 220) throw new StepFailed(`the host did not greet as an SMTP server is ready to: ${describeReply(greeting)}`);
  }

  private async ehlo(session: SmtpConnection): Promise<string[]> {
    const greeted = await hello(session, this.stepTimeoutMs);
    if ('refusal' in greeted) throw new StepFailed(`the host refused EHLO and HELO: ${describeReply(greeted.refusal)}`);
    return greeted.capabilities;
  }

  private async startTls(session: SmtpConnection, endpoint: SmtpEndpoint): Promise<void> {
    try {
      await session.upgrade(tlsOptionsFor(endpoint.host, endpoint.caCertificate), this.stepTimeoutMs);
    } catch (error) {
      if (error instanceof SmtpTimeoutError) throw new StepFailed(`the TLS handshake with ${endpoint.host} did not finish within ${Math.round(this.stepTimeoutMs / 1000)} s`);
      const code = (error as { code?: string }).code;
      const reason = `${code ? `${code}: ` : ''}${(error as Error).message}`;
      const fix = endpoint.caCertificate
        ? 'the certificate is not issued by the CA pinned in mail.caCertificate (or does not name the host); pin the CA that issued it'
        : 'if the host uses a self-signed or private-CA certificate, pin that CA in mail.caCertificate';
      throw new StepFailed(`the certificate of ${endpoint.host} could not be verified (${reason}) — ${fix}; the password was not sent`);
    }
  }

  private async authenticate(session: SmtpConnection, endpoint: SmtpEndpoint, capabilities: string[]): Promise<void> {
    const username = endpoint.username!;
    const reply = await authenticate(session, capabilities, username, endpoint.password!, this.stepTimeoutMs);
    if (reply === 'no-mechanism') {
      const mechanisms = authMechanisms(capabilities);
      throw new StepFailed(`the host offers no login by AUTH PLAIN or LOGIN${mechanisms.length ? ` (only ${mechanisms.join(', ')})` : ''}; check host and port (port 25 is usually not for submission; use 587 or 465)`);
    }
    if (reply.code === 235) return;
    if (reply.code === 535 || reply.enhanced === '5.7.8') {
      throw new StepFailed(`the host refused the login for ${username}: ${describeReply(reply)} — the user name or password is wrong; check mail.username and set mail.password again${loginHint(endpoint)}`);
    }
    throw new StepFailed(`the login for ${username} failed: ${describeReply(reply)}${reply.code >= 400 && reply.code < 500 ? ' (a temporary problem of the host; try again later)' : ''}`);
  }

  private async probeSender(session: SmtpConnection, sender: SenderProbe, recipient: string, policy: ProbePolicy): Promise<{ ok: boolean; detail: string }> {
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
function refusal(sender: SenderProbe, reply: SmtpReply, command: 'MAIL' | 'RCPT', recipient: string, policy: ProbePolicy): { ok: boolean; detail: string } {
  const claimed = sender.isAlertSender || sender.allowedByPolicy;
  if (reply.code >= 400 && reply.code < 500) return { ok: !claimed, detail: `the host answered ${sender.address} with a temporary error: ${describeReply(reply)}; try again later` };
  if (!isSenderRefusal(reply, command)) {
    const detail =
      command === 'RCPT'
        ? `the host accepted ${sender.address} as sender but refused the test recipient ${recipient}: ${describeReply(reply)}`
        : `the host refused MAIL FROM:<${sender.address}>, not for the sender itself: ${describeReply(reply)}`;
    return { ok: !claimed, detail };
  }
  const refused = `the host refused ${sender.address} as sender: ${describeReply(reply)}`;
  if (!claimed) {
    return { ok: true, detail: `${refused} — as expected: mail.allowedSenders does not list it, so personal mail from it goes out via the alert address with Reply-To` };
  }
  const domain = domainOf(sender.address).toLowerCase();
  if (sender.isAlertSender) {
    const onHost = domain === policy.alertDomain ? `, or let the login send as ${sender.address} on the host` : '';
    return { ok: false, detail: `${refused} — alert digests cannot go out from it: set alertSender to an address this login may send as${onHost}, or use the hosted preset` };
  }
  const listed = policy.allowedSenders.length ? policy.allowedSenders.join(', ') : 'any sender';
  const pattern = policy.allowedSenders.find((candidate) => senderAllowed([candidate], sender.address));
  const onHost = domain === policy.alertDomain ? `, or let the login send as *@${domain} on the host` : '';
  const narrow = pattern ? `remove ${pattern} from allowedSenders` : 'list only the addresses the host accepts in allowedSenders';
  return {
    ok: false,
    detail: `${refused} — mail.allowedSenders (${listed}) lets personal mail go out as ${sender.address}, which the host refuses (such mail is sent again via the alert address): ${narrow}${onHost}, or use the hosted preset`,
  };
}

function accepted(sender: SenderProbe, policy: ProbePolicy): string {
  if (sender.isAlertSender) return `the host accepts ${sender.address} as sender (alert address)`;
  if (sender.allowedByPolicy) return `the host accepts ${sender.address} as sender; personal mail from it goes out as the author`;
  const domain = domainOf(sender.address).toLowerCase();
  const via = `the host accepts ${sender.address} as sender, but mail.allowedSenders (${policy.allowedSenders.join(', ')}) does not list it, so personal mail from it goes out via the alert address`;
  if (policy.ownDomains.has(domain)) return `${via}; add *@${domain} to allowedSenders to send as the author`;
  return `${via}, as it should: ${domain} is not a domain of this tenant (its alert address and allowedSenders)`;
}

function loginHint(endpoint: SmtpEndpoint): string {
  if (/mandrillapp\.com$/i.test(endpoint.host)) return ' (for Mandrill the password is an API key)';
  if (/gmx\.(net|ch|de|at|com)$/i.test(endpoint.host)) return ' (GMX also needs "POP3/IMAP access" enabled in the mailbox settings)';
  return '';
}

function networkProblem(error: unknown): string {
  if (error instanceof SmtpTimeoutError) return error.message;
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused (nothing listens on that port)';
    case 'ECONNRESET':
      return 'the host reset the connection';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the host is unreachable';
    default:
      return (error as Error)?.message ?? String(error);
  }
}
