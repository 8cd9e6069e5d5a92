import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';
import { MessageCode, MessageParamsOut } from '../../../shared/http/schemas';
import { rule } from '../../../shared/messages/message';
import { Address } from './senderSchemas';

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** A DNS name or an IP address (IPv6 with or without brackets). */
export const Host = z
  .string()
  .max(255)
  .refine((value) => HOST_NAME.test(value) || isIP(value.replace(/^\[|\]$/g, '')) !== 0, rule('host_name'));

/** The CA a self-signed host is trusted by: one parseable X.509 certificate. */
export const PemCertificate = z
  .string()
  .max(65_536)
  .refine((value) => {
    try {
      new X509Certificate(value);
      return true;
    } catch {
      return false;
    }
  }, rule('pem_certificate'));

export const MailSecurity = z.enum(['starttls', 'tls', 'none']);

/** A verify of the mail settings: the request, and each step (token, connect, TLS, login, senders) with its outcome. */
export const VerifyBody = z
  .strictObject({ probeSenders: z.array(Address).max(20).optional().describe('addresses to try as sender besides the alert address') })
  .meta({ id: 'VerifyRequest', examples: [{ probeSenders: ['anna.muster@kunde.ch'] }] });

export const VerifyOut = z
  .object({
    ok: z.boolean(),
    steps: z.array(
      z
        .object({
          step: z.enum(['token', 'connect', 'tls', 'auth', 'sender']),
          ok: z.boolean(),
          skipped: z.boolean().optional(),
          detail: z.string(),
          code: MessageCode,
          params: MessageParamsOut,
          address: z.string().optional(),
        })
        .meta({ id: 'VerifyStep' }),
    ),
  })
  .meta({
    id: 'VerifyResult',
    examples: [
      {
        ok: true,
        steps: [
          {
            step: 'connect',
            ok: true,
            detail: 'connected to mail.kunde.ch:587 (203.0.113.7); the host greets as an SMTP server',
            code: 'verify_connected_smtp',
            params: { target: 'mail.kunde.ch:587', address: '203.0.113.7' },
          },
          {
            step: 'tls',
            ok: true,
            detail: 'STARTTLS established; the certificate of mail.kunde.ch is valid',
            code: 'verify_starttls',
            params: { host: 'mail.kunde.ch' },
          },
          { step: 'auth', ok: true, detail: 'logged in as kos@kunde.ch', code: 'verify_logged_in', params: { username: 'kos@kunde.ch' } },
          {
            step: 'sender',
            ok: true,
            address: 'kos@kunde.ch',
            detail: 'the host accepts kos@kunde.ch as sender (alert address)',
            code: 'verify_alert_sender_accepted',
            params: { address: 'kos@kunde.ch' },
          },
        ],
      },
    ],
  });
