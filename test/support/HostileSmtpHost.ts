import { createServer, type Server, type Socket } from 'node:net';

/** How the host attacks the client that connects to it. */
export type HostileBehaviour =
  /** `220-…` lines without a last line. */
  | 'endless-greeting'
  /** A proper greeting, then `250-…` lines without a last line as the EHLO reply. */
  | 'endless-ehlo'
  /** `220 xxxx…` without ever a line end. */
  | 'greeting-without-end'
  /** A proper greeting followed, in the same write, by complete replies to commands never sent. */
  | 'unsolicited'
  /** A proper greeting, then half an EHLO reply (ending mid-line), then the connection closed. */
  | 'close-mid-reply'
  /** Answers AUTH with `535-…` lines without a last line. */
  | 'endless-auth'
  /** Refuses the login with `535 5.7.8 Authentication failed for <every AUTH argument and line>`. */
  | 'auth-echo'
  /** Refuses the login as Sendmail refuses what it does not know: `500 5.5.1 Command unrecognized: "<the line>"`. */
  | 'auth-echo-sendmail';

export interface HostileOptions {
  /** Characters of text on each flooded line (the `x…` after `220-`); default 1. */
  lineLength?: number;
  /** Bytes the host writes per session at most, so that a test against a client that never stops stays fast. */
  budgetBytes?: number;
  /** Once the budget is spent, send the flooded reply's last line (`220 ready`), so that a client that kept it all must now join it. */
  finalLine?: boolean;
  /** The AUTH mechanisms offered; default PLAIN and LOGIN (the client takes PLAIN). */
  authMechanisms?: string;
}

interface SessionRecord {
  /** Bytes the host wrote in this session. */
  written: number;
  /** The client hung up before the host had spent its budget (or finished its script). */
  closedByClient: boolean;
  /** The AUTH lines the client sent, as received. */
  authLines: string[];
}

/**
 * A raw SMTP host that attacks its clients: endless multi-line replies, a reply without end,
 * replies nobody asked for, a connection cut mid-reply, and a refused login that echoes the AUTH
 * command (the password's base64 with it). It writes with backpressure and within a budget per
 * session, and records what each session cost it.
 */
export class HostileSmtpHost {
  readonly sessions: SessionRecord[] = [];
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(behaviour: HostileBehaviour, options: HostileOptions = {}): Promise<HostileSmtpHost> {
    const sockets = new Set<Socket>();
    let self!: HostileSmtpHost;
    const server = createServer((socket) => {
      const record: SessionRecord = { written: 0, closedByClient: false, authLines: [] };
      self.sessions.push(record);
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
      void attack(socket, behaviour, options, record);
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    self = new HostileSmtpHost(server, port, sockets);
    return self;
  }

  /** The most one session made the host write. */
  get maxWritten(): number {
    return Math.max(0, ...this.sessions.map((session) => session.written));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      for (const socket of this.sockets) socket.destroy();
      this.server.close(() => resolve());
    });
  }
}

const FLOOD_CHUNK = 64 * 1024;

async function attack(socket: Socket, behaviour: HostileBehaviour, options: HostileOptions, record: SessionRecord): Promise<void> {
  const budget = options.budgetBytes ?? 16 * 1024 * 1024;
  const text = 'x'.repeat(options.lineLength ?? 1);
  const send = (data: string): void => {
    record.written += Buffer.byteLength(data);
    socket.write(data);
  };
  const flood = async (head: string, unit: string, last?: string): Promise<void> => {
    send(head);
    const chunk = unit.repeat(Math.max(1, Math.floor(FLOOD_CHUNK / unit.length)));
    while (!socket.destroyed && record.written < budget) {
      record.written += chunk.length;
      if (!socket.write(chunk)) await drained(socket);
    }
    record.closedByClient = socket.destroyed && record.written < budget;
    if (last && options.finalLine && !socket.destroyed) send(last);
  };
  switch (behaviour) {
    case 'endless-greeting':
      return flood('', `220-${text}\r\n`, '220 ready\r\n');
    case 'greeting-without-end':
      return flood('220 ', text);
    case 'unsolicited':
      return flood('220 hostile.test ESMTP\r\n', `250 2.0.0 ${text}\r\n`);
    default:
      send('220 hostile.test ESMTP\r\n');
  }
  const auth: string[] = [];
  let pending = '';
  socket.on('close', () => (record.closedByClient ||= true));
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    let end: number;
    while ((end = pending.indexOf('\r\n')) >= 0) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'AUTH' && behaviour === 'endless-auth') return void flood('', `535-${text}\r\n`, '535 5.7.8 go away\r\n');
      if (auth.length > 0 || verb === 'AUTH') {
        auth.push(line);
        record.authLines.push(line);
        if (/^AUTH LOGIN$/i.test(line) || (auth.length === 2 && /^AUTH LOGIN$/i.test(auth[0]!))) {
          send(`334 ${auth.length === 1 ? 'VXNlcm5hbWU6' : 'UGFzc3dvcmQ6'}\r\n`);
          continue;
        }
        const argument = auth
          .map((sent) => sent.replace(/^AUTH \S+ ?/i, ''))
          .filter(Boolean)
          .join(' ');
        send(
          behaviour === 'auth-echo-sendmail'
            ? `500 5.5.1 Command unrecognized: "${auth.join(' ')}"\r\n`
            : `535 5.7.8 Authentication failed for ${argument}\r\n`,
        );
        auth.length = 0;
        continue;
      }
      if (verb === 'EHLO') {
        if (behaviour === 'endless-ehlo') return void flood('250-hostile.test\r\n', `250-${text}\r\n`, '250 8BITMIME\r\n');
        if (behaviour === 'close-mid-reply') {
          send('250-hostile.test\r\n250-PIPEL');
          socket.destroy();
          return;
        }
        send(`250-hostile.test\r\n250-AUTH ${options.authMechanisms ?? 'PLAIN LOGIN'}\r\n250 8BITMIME\r\n`);
      } else if (verb === 'QUIT') {
        send('221 2.0.0 bye\r\n');
        socket.end();
      } else if (verb === 'DATA') {
        send('554 5.7.1 no mail here\r\n');
      } else {
        send('250 2.0.0 ok\r\n');
      }
    }
  });
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
