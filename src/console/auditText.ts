import type { MessageKey, Translate } from './i18n.js';
import { presetTitle } from './presetText.js';

// An audit entry in words: the action, the actor and a list of what changed, never raw JSON.

const ACTIONS = ['tenant.created', 'tenant.updated', 'tenant.deleted', 'api-key.created', 'api-key.deleted', 'mail.test-sent', 'notification.retried'] as const;
const FIELDS = [
  'id',
  'name',
  'locale',
  'alertSender',
  'alertSender.address',
  'alertSender.name',
  'mail',
  'mail.preset',
  'mail.host',
  'mail.port',
  'mail.security',
  'mail.username',
  'mail.password',
  'mail.allowedSenders',
  'mail.caCertificate',
  'mail.maxPerMinute',
] as const;
const DETAILS = ['changed', 'preset', 'password', 'keyId', 'name', 'expiresAt', 'to', 'notificationId', 'status', 'messageId', 'lastError'] as const;
const PASSWORD_CHANGES = ['set', 'changed', 'removed'] as const;

const known = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

export function auditAction(t: Translate, action: string): string {
  return known(ACTIONS, action) ? t(`audit.action.${action}` as MessageKey) : action;
}

export function auditActor(t: Translate, actor: string, actorName?: string): string {
  if (actor === 'admin') return t('audit.actor.admin');
  const keyId = actor.replace(/^(key|admin):/, '');
  if (actor.startsWith('admin:')) return t('audit.actor.adminKey', { key: actorName ?? keyId });
  return t('audit.actor.key', { key: actorName ?? keyId });
}

export function fieldName(t: Translate, path: string): string {
  return known(FIELDS, path) ? t(`field.${path}` as MessageKey) : path;
}

function valueText(t: Translate, label: string, value: unknown, language: string, formatDate: (iso: string) => string): string {
  if (label === 'changed' && Array.isArray(value)) return value.map((path) => fieldName(t, String(path))).join(', ');
  if (label === 'preset' && typeof value === 'string') return presetTitle(t, value);
  if (label === 'password' && typeof value === 'string' && known(PASSWORD_CHANGES, value)) return t(`audit.password.${value}`);
  if (label === 'status' && typeof value === 'string' && ['queued', 'sending', 'sent', 'failed', 'parked'].includes(value))
    return t(`status.${value as 'sent'}`);
  if (label === 'expiresAt' && typeof value === 'string') return formatDate(value);
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([key, each]) => `${key} ${valueText(t, key, each, language, formatDate)}`)
      .join(', ');
  return String(value);
}

/** Each detail as [label, value] in the console's language. */
export function auditDetails(t: Translate, details: Record<string, unknown>, formatDate: (iso: string) => string): Array<[string, string]> {
  return Object.entries(details ?? {}).map(([key, value]) => [
    known(DETAILS, key) ? t(`audit.detail.${key}` as MessageKey) : key,
    valueText(t, key, value, t.language, formatDate),
  ]);
}
