import type { PresetName } from './types.js';

// The sender rules of the mail presets (docs/mail-presets.md) as the service applies them (src/shared/mail/address.ts,
// src/modules/tenant/domain/senderPolicy.ts); test/console/senderPolicy.test.ts holds the copies to
// the same answers.

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A plain `local@domain` address: no display name, quotes, comments or groups. */
export function isPlainAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return false;
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  if (local.length > 64 || !LOCAL_PART.test(local) || labels.length < 2) return false;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  return /^[A-Za-z]{2,63}$|^xn--[A-Za-z0-9-]+$/.test(labels[labels.length - 1]!);
}

/** An exact address or `*@domain`. */
export function isSenderPattern(pattern: string): boolean {
  return pattern.startsWith('*@') ? isPlainAddress(`x${pattern.slice(1)}`) : isPlainAddress(pattern);
}

/** The pattern that lets `address` be sender, `'any'` when no pattern is listed, undefined when none does. Case-insensitive. */
export function matchingPattern(allowedSenders: readonly string[], address: string): string | 'any' | undefined {
  if (allowedSenders.length === 0) return 'any';
  const candidate = address.trim().toLowerCase();
  const domain = candidate.slice(candidate.lastIndexOf('@') + 1);
  return allowedSenders.find((pattern) => {
    const normalized = pattern.trim().toLowerCase();
    return normalized.startsWith('*@') ? normalized.slice(2) === domain : normalized === candidate;
  });
}

export function senderAllowed(allowedSenders: readonly string[], address: string): boolean {
  return matchingPattern(allowedSenders, address) !== undefined;
}

/** Who may be sender under a preset, as `GET /presets` names it in `senders`. */
export type SenderRule = 'listed' | 'hosted' | 'login' | 'fixed';

/** The rule of a preset: as the service states it, else as docs/mail-presets.md has it for that preset. */
export function senderRuleOf(preset: { name: PresetName; senders?: string }): SenderRule {
  if (preset.senders === 'listed' || preset.senders === 'hosted' || preset.senders === 'login' || preset.senders === 'fixed') return preset.senders;
  return preset.name === 'gmx' ? 'login' : preset.name === 'hosted' ? 'hosted' : preset.name === 'demo' ? 'fixed' : 'listed';
}

/**
 * The patterns a preset really lets through: the listed ones (custom, mandrill), the mailbox
 * login (gmx), the one fixed sender (demo, hosted).
 */
export function effectiveSenderPatterns(rule: SenderRule, form: { allowedSenders: readonly string[]; username?: string; fixedSender?: string }): string[] {
  switch (rule) {
    case 'listed':
      return [...form.allowedSenders];
    case 'login':
      return form.username ? [form.username] : [];
    case 'fixed':
    case 'hosted':
      return form.fixedSender ? [form.fixedSender] : [];
  }
}

/** Splits the editor's text into patterns: one per line or comma-separated, blanks dropped. */
export function parsePatterns(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((pattern) => pattern.trim())
    .filter(Boolean);
}
