import type { Preset } from './types.js';

/**
 * The presets as a tenant key sees them: `GET /presets` is the operator's, so a tenant's own form
 * falls back to these defaults (the service applies its own on save either way).
 */
export const TENANT_PRESETS: Preset[] = [
  { name: 'custom', title: 'custom', description: '', hostOverridable: true, senders: 'listed' },
  { name: 'hosted', title: 'hosted', description: '', hostOverridable: false, senders: 'hosted' },
  {
    name: 'gmx',
    title: 'gmx',
    description: '',
    host: 'mail.gmx.net',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senders: 'login',
    maxPerMinute: 20,
  },
  {
    name: 'mandrill',
    title: 'mandrill',
    description: '',
    host: 'smtp.mandrillapp.com',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senders: 'listed',
    discouraged: 'yes',
  },
  {
    name: 'demo',
    title: 'demo',
    description: '',
    host: 'mail.gmx.net',
    port: 587,
    security: 'starttls',
    hostOverridable: true,
    senders: 'fixed',
    fixedSender: 'kos.demo@gmx.ch',
    maxPerMinute: 20,
  },
];
