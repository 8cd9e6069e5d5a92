import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Certificate {
  key: string;
  cert: string;
}

/** A fresh self-signed certificate for the names, made with openssl in a temp dir (never committed). */
export function selfSignedCertificate(commonName: string, altNames: string): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'kos-notify-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=${altNames}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SmtpError extends Error {
  responseCode?: number;
}

export function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code });
}

export interface HostBehaviour {
  /** Implicit TLS (security "tls"). */
  secure?: boolean;
  /** Offer STARTTLS (needs `certificate`). */
  starttls?: boolean;
  certificate?: Certificate;
  login?: { username: string; password: string };
  /** Refuses a sender at MAIL FROM (return an error) or lets it through. */
  onMailFrom?(address: string): SmtpError | undefined;
  /** Refuses a recipient, knowing the sender of the transaction (Postfix refuses a foreign sender here). */
  onRcptTo?(address: string, sender: string): SmtpError | undefined;
}

export interface RecordedCommand {
  command: 'AUTH' | 'MAIL' | 'RCPT' | 'DATA';
  value: string;
  secure: boolean;
}

export interface TestSmtpHost {
  port: number;
  commands: RecordedCommand[];
  /** Every message the host took, with its envelope. */
  received: Array<{ from: string; to: string[]; raw: string }>;
  close(): Promise<void>;
}

/** A local smtp-server with the behaviour of a real host, recording what the client did. */
export async function startSmtpHost(behaviour: HostBehaviour = {}): Promise<TestSmtpHost> {
  const commands: RecordedCommand[] = [];
  const received: TestSmtpHost['received'] = [];
  const options: SMTPServerOptions = {
    secure: behaviour.secure ?? false,
    disableReverseLookup: true,
    logger: false,
    // A client that sends the password without TLS would succeed: so a test can see that it did not.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !behaviour.login,
    ...(behaviour.certificate ? { key: behaviour.certificate.key, cert: behaviour.certificate.cert } : {}),
    ...(behaviour.starttls ? {} : { disabledCommands: behaviour.secure ? [] : ['STARTTLS'] }),
    onAuth(auth, session, callback) {
      commands.push({ command: 'AUTH', value: auth.username ?? '', secure: session.secure });
      if (behaviour.login && auth.username === behaviour.login.username && auth.password === behaviour.login.password)
        return callback(null, { user: auth.username });
      return callback(smtpError(535, '5.7.8 Error: authentication failed'));
    },
    onMailFrom(address, session, callback) {
      commands.push({ command: 'MAIL', value: address.address, secure: session.secure });
      callback(behaviour.onMailFrom?.(address.address) ?? null);
    },
    onRcptTo(address, session, callback) {
      commands.push({ command: 'RCPT', value: address.address, secure: session.secure });
      callback(behaviour.onRcptTo?.(address.address, session.envelope.mailFrom ? session.envelope.mailFrom.address : '') ?? null);
    },
    onData(stream, session, callback) {
      commands.push({ command: 'DATA', value: '', secure: session.secure });
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { mailFrom, rcptTo } = session.envelope;
        received.push({ from: mailFrom ? mailFrom.address : '', to: rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    commands,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
