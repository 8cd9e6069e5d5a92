// The shapes of the public API (/openapi.json) as the console reads them.

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
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

export type PresetName = 'custom' | 'hosted' | 'gmx' | 'mandrill' | 'demo';
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
  };
}

export type FailureClass = 'auth' | 'sender' | 'tls' | 'connection' | 'rejected' | 'other';
export const FAILURE_CLASSES: readonly FailureClass[] = ['auth', 'sender', 'tls', 'connection', 'rejected', 'other'];

export interface MailHealth {
  state: 'ok' | 'parked';
  lastSuccessAt?: string;
  lastFailureAt?: string;
  failures24h: Record<FailureClass, number>;
  queued: number;
  oldestQueuedSeconds: number;
}

export type VerifyStepName = 'connect' | 'tls' | 'auth' | 'sender';

export interface VerifyStep {
  step: VerifyStepName;
  ok: boolean;
  skipped?: boolean;
  detail: string;
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
  messageId?: string;
  lastError?: string;
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
  errors?: Array<{ tenantId?: string; message: string }>;
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
