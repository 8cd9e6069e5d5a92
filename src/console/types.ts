// The shapes of the public API (/openapi.json) as the console reads them.
// The OAuth 2.0 shapes come from the tenant module's type-only file: erased when compiled, so the page loads nothing of the service.
import type { MailTransportKind, OAuth2Input, OAuth2View } from '../modules/tenant/domain/oauth/OAuth2Shapes';

/** The params of a stable service code: what the code's text fills in. */
export type CodeParams = Record<string, unknown>;

export interface FieldError {
  path: string;
  message: string;
  code?: string;
  params?: CodeParams;
}

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  params?: CodeParams;
  errors?: FieldError[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Address {
  name?: string;
  address: string;
}

export type PresetName = 'custom' | 'hosted' | 'gmx' | 'mandrill' | 'demo' | 'microsoft365' | 'google-workspace';
export type Security = 'starttls' | 'tls' | 'none';
export type Locale = 'de' | 'fr' | 'it' | 'en';

export interface Preset {
  name: PresetName;
  title: string;
  description: string;
  available?: boolean;
  host?: string;
  port?: number;
  security?: Security;
  hostOverridable?: boolean;
  senders?: string;
  fixedSender?: string;
  maxPerMinute?: number;
  discouraged?: string;
}

export interface MailStatus {
  state: 'ok' | 'parked';
  since?: string;
  reason?: string;
  reasonCode?: string;
  reasonParams?: CodeParams;
}

export interface Tenant {
  id: string;
  name: string;
  locale: Locale;
  alertSender: Address;
  mail: {
    preset: PresetName;
    host: string;
    port: number;
    security: Security;
    username?: string;
    hasPassword: boolean;
    allowedSenders: string[];
    caCertificate?: string;
    maxPerMinute?: number;
    transport?: MailTransport;
    oauth2?: OAuth2Out;
  };
  mailStatus: MailStatus;
  createdAt?: string;
  updatedAt?: string;
}

/** The body of `PUT /tenants/{id}`; `password` omitted keeps the stored one, null removes it. */
export interface TenantBody {
  name: string;
  locale: Locale;
  alertSender?: Address;
  mail: {
    preset: PresetName;
    host?: string;
    port?: number;
    security?: Security;
    username?: string;
    password?: string | null;
    allowedSenders: string[];
    caCertificate?: string;
    maxPerMinute?: number;
    transport?: MailTransport;
    oauth2?: OAuth2Body;
  };
}

export type MailTransport = MailTransportKind;
/** `mail.oauth2` as reads show it: the secrets only as has…, the operator's app as its consent link or delegation client id. */
export type OAuth2Out = OAuth2View;
/** `mail.oauth2` in a save: the settings and the write-only secrets; a secret omitted keeps the stored one. */
export type OAuth2Body = Omit<OAuth2Input, 'serviceAccount'> & {
  clientSecret?: string;
  serviceAccount?: NonNullable<OAuth2Input['serviceAccount']> & { privateKey?: string };
};

export type FailureClass = 'auth' | 'sender' | 'tls' | 'connection' | 'rejected' | 'other';
export const FAILURE_CLASSES: readonly FailureClass[] = ['auth', 'sender', 'tls', 'connection', 'rejected', 'other'];

export type HealthState = 'unverified' | 'ok' | 'warning' | 'parked';

export interface HealthWarning {
  code: string;
  params?: CodeParams;
  message: string;
}

export interface MailHealth {
  state: HealthState;
  since?: string;
  lastVerifiedAt?: string;
  reason?: string;
  reasonCode?: string;
  reasonParams?: CodeParams;
  warnings?: HealthWarning[];
  lastSuccessAt?: string;
  lastFailureAt?: string;
  failures24h: Record<FailureClass, number>;
  queued: number;
  oldestQueuedSeconds: number;
}

export type VerifyStepName = 'token' | 'connect' | 'tls' | 'auth' | 'sender';

export interface VerifyStep {
  step: VerifyStepName;
  ok: boolean;
  skipped?: boolean;
  detail: string;
  code?: string;
  params?: CodeParams;
  address?: string;
}

export interface VerifyReport {
  ok: boolean;
  steps: VerifyStep[];
}

export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'parked';
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['queued', 'sending', 'sent', 'failed', 'parked'];

export interface Notification {
  id: string;
  kind?: string;
  status: NotificationStatus;
  attempts: number;
  from?: Address;
  replyTo?: Address;
  to?: Address[];
  cc?: Address[];
  subject?: string;
  ticketId?: string;
  senderRewritten: boolean;
  rewriteReason?: string;
  rewriteReasonCode?: string;
  rewriteReasonParams?: CodeParams;
  messageId?: string;
  lastError?: string;
  lastErrorCode?: string;
  lastErrorParams?: CodeParams;
  rejectedRecipients?: Array<{ address: string; code?: number; response?: string }>;
  createdAt: string;
  nextAttemptAt?: string;
  sentAt?: string;
}

export interface AlertRun {
  id: string;
  date: string;
  trigger?: 'schedule' | 'manual' | 'catch-up';
  status: string;
  startedAt?: string;
  finishedAt?: string;
  tenants?: number;
  recipients?: number;
  queued?: number;
  alreadySent?: number;
  errors?: Array<{ tenantId?: string; message: string; code?: string; params?: CodeParams }>;
}

export interface DigestPreview {
  recipients?: Address[];
  subject: string;
  reached?: number;
  soon?: number;
  text?: string;
  html?: string;
}

/** The answer of `GET /tenants/{id}/alerts/preview`: one page, as every list. */
export interface AlertPreview {
  date?: string;
  items: DigestPreview[];
}

/** The answer of `POST /tenants/{id}/mail/test`: the outcome so far. */
export interface TestMailResult {
  id: string;
  status: NotificationStatus | string;
  lastError?: string;
  lastErrorCode?: string;
  lastErrorParams?: CodeParams;
  messageId?: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  /** The acting key's name, when it has one. */
  actorName?: string;
  action: string;
  details: Record<string, unknown>;
}

/** `GET /me`: who the key belongs to. */
export interface Me {
  role: 'admin' | 'tenant';
  tenantId?: string;
  keyId?: string;
}

/** `GET /alert-schedule`: the one global alert time. */
export interface AlertSchedule {
  cron: string;
  timezone: string;
  leadDays: number;
  nextRunAt?: string;
  lastRun: { id: string; date: string; status: string; finishedAt?: string } | null;
}

export interface ApiKey {
  id: string;
  name?: string;
  createdAt: string;
  lastUsedAt?: string | null;
  expiresAt?: string | null;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}
