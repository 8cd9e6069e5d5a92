import type { HostedMailConfig } from '../../../shared/config/Config';
import type { PresetName, SmtpSecurity } from './Tenant';

/** Who may appear as sender under a preset. */
export type SenderRule =
  /** the patterns the tenant lists in `mail.allowedSenders` (none = any) */
  | 'listed'
  /** exactly HOSTED_SENDER */
  | 'hosted'
  /** exactly the mailbox login (`mail.username`) */
  | 'login'
  /** exactly `fixedSender` */
  | 'fixed';

export interface Preset {
  name: PresetName;
  title: string;
  description: string;
  host?: string;
  port?: number;
  security?: SmtpSecurity;
  /** False for `hosted`: the operator's host is used whatever the tenant writes. */
  hostOverridable: boolean;
  senderRule: SenderRule;
  fixedSender?: string;
  maxPerMinute?: number;
  /** Set when the preset is a last resort; says why. */
  discouraged?: string;
  /** `oauth2`: logs in with `mail.oauth2` (AUTH XOAUTH2 or Graph), never a password. */
  authentication: 'password' | 'oauth2';
  /** False for the demo mailbox: shared by every demo tenant, never for real customers' mail. */
  production: boolean;
}

export const DEMO_SENDER = 'kos.demo@gmx.ch';

export const PRESETS: Record<PresetName, Preset> = {
  custom: {
    name: 'custom',
    title: 'Own mail host',
    description: "The customer's own SMTP host, reachable from the cloud. Personal mail goes out as its author when mail.allowedSenders covers the author.",
    hostOverridable: true,
    senderRule: 'listed',
    authentication: 'password',
    production: true,
  },
  hosted: {
    name: 'hosted',
    title: 'Hosted by the operator',
    description:
      "The operator's mail service: every mail leaves from one address (HOSTED_SENDER); personal mail is sent via that address with Reply-To the author.",
    hostOverridable: false,
    senderRule: 'hosted',
    authentication: 'password',
    production: true,
  },
  gmx: {
    name: 'gmx',
    title: 'GMX mailbox',
    description: "The customer's own GMX mailbox; it sends only as the mailbox address (the login), so personal mail is sent via it with Reply-To the author.",
    host: 'mail.gmx.net',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senderRule: 'login',
    maxPerMinute: 20,
    authentication: 'password',
    production: true,
  },
  mandrill: {
    name: 'mandrill',
    title: 'Mandrill (emergency only)',
    description: 'A transactional provider for emergencies: the password is a Mandrill API key, mail.allowedSenders lists the domains verified at Mandrill.',
    host: 'smtp.mandrillapp.com',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senderRule: 'listed',
    discouraged:
      "Discouraged: mail from the customer's domain leaves through a third party's shared servers, which needs SPF/DKIM records for Mandrill in the customer's DNS, a paid account and its own data-processing agreement; replies and bounces bypass the customer's host. Use it only while the own host or the hosted preset is unavailable.",
    authentication: 'password',
    production: true,
  },
  demo: {
    name: 'demo',
    title: 'Demo mailbox',
    description: `The demo environment's GMX mailbox; every mail leaves as ${DEMO_SENDER}. Not for production: the mailbox is shared by every demo tenant.`,
    host: 'mail.gmx.net',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senderRule: 'fixed',
    fixedSender: DEMO_SENDER,
    maxPerMinute: 20,
    authentication: 'password',
    production: false,
  },
  microsoft365: {
    name: 'microsoft365',
    title: 'Microsoft 365',
    description:
      "The customer's Microsoft 365 (Exchange Online) with modern authentication (OAuth 2.0, app-only, no password): each author's mail leaves as that author's mailbox over SMTP AUTH XOAUTH2, or through Microsoft Graph with mail.transport \"graph\".",
    host: 'smtp.office365.com',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senderRule: 'listed',
    authentication: 'oauth2',
    production: true,
  },
  'google-workspace': {
    name: 'google-workspace',
    title: 'Google Workspace',
    description:
      "The customer's Google Workspace through a service account with domain-wide delegation (OAuth 2.0, no password): each author's mail leaves as that author over SMTP AUTH XOAUTH2.",
    host: 'smtp.gmail.com',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senderRule: 'listed',
    authentication: 'oauth2',
    production: true,
  },
};

/** A preset as the tenant form shows it: the operator's hosted host and sender merged in. */
export interface PresetView {
  name: PresetName;
  title: string;
  description: string;
  available: boolean;
  host?: string;
  port?: number;
  security?: SmtpSecurity;
  hostOverridable: boolean;
  senders: SenderRule;
  fixedSender?: string;
  maxPerMinute?: number;
  discouraged?: string;
  authentication: 'password' | 'oauth2';
  production: boolean;
}

/** Whether a tenant may choose the preset on this service: hosted needs the operator's host, demo the operator's consent. */
export function presetAvailable(name: PresetName, hosted: HostedMailConfig | undefined, demoPreset: boolean): boolean {
  if (name === 'hosted') return hosted !== undefined;
  if (name === 'demo') return demoPreset;
  return true;
}

export function presetView(preset: Preset, hosted: HostedMailConfig | undefined, demoPreset = true): PresetView {
  const operator = preset.name === 'hosted' ? hosted : undefined;
  const host = operator?.host ?? preset.host;
  const port = operator?.port ?? preset.port;
  const security = operator?.security ?? preset.security;
  const fixedSender = operator?.sender ?? preset.fixedSender;
  return {
    name: preset.name,
    title: preset.title,
    description: preset.description,
    available: presetAvailable(preset.name, hosted, demoPreset),
    ...(host ? { host } : {}),
    ...(port ? { port } : {}),
    ...(security ? { security } : {}),
    hostOverridable: preset.hostOverridable,
    senders: preset.senderRule,
    ...(fixedSender ? { fixedSender } : {}),
    ...(preset.maxPerMinute ? { maxPerMinute: preset.maxPerMinute } : {}),
    ...(preset.discouraged ? { discouraged: preset.discouraged } : {}),
    authentication: preset.authentication,
    production: preset.production,
  };
}
