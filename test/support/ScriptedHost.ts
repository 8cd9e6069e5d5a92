import { createServer, type Server, type Socket } from 'node:net';

/**
 * A raw SMTP host for exchanges smtp-server cannot script: it records every line and every
 * chunk as it arrived, answers 250 (354 to DATA) unless `answer` says otherwise.
 */
export class ScriptedHost {
  readonly lines: string[] = [];
  readonly chunks: string[] = [];
  private answered = 0;
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(
    extensions: string[],
    answer?: (line: string, socket: Socket) => string | undefined,
    options: { silent?: boolean } = {},
  ): Promise<ScriptedHost> {
    let self!: ScriptedHost;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      if (options.silent) return;
      socket.write('220 scripted.test ESMTP\r\n');
      let inData = false;
      let pending = '';
      socket.on('data', (chunk: Buffer) => {
        self.chunks.push(chunk.toString());
        pending += chunk.toString();
        let end: number;
        while ((end = pending.indexOf('\r\n')) >= 0) {
          const line = pending.slice(0, end);
          pending = pending.slice(end + 2);
          if (inData) {
            if (line === '.') {
              inData = false;
              self.lines.push('.');
              const custom = answer?.(line, socket);
              if (!socket.destroyed) self.reply(socket, custom ?? '250 2.0.0 queued as 1');
            }
            continue;
          }
          self.lines.push(line);
          const custom = answer?.(line, socket);
          if (socket.destroyed) return;
          if (custom) self.reply(socket, custom);
          else if (line.startsWith('EHLO')) self.reply(socket, ['250-scripted.test', ...extensions.map((e) => `250-${e}`), '250 8BITMIME'].join('\r\n'));
          else if (line === 'DATA') {
            inData = true;
            self.reply(socket, '354 go ahead');
          } else if (line === 'QUIT') {
            self.reply(socket, '221 bye');
            socket.end();
          } else self.reply(socket, '250 2.1.0 ok');
          if (custom?.startsWith('354')) inData = true;
        }
      });
    });
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    self = new ScriptedHost(server, port, sockets);
    return self;
  }

  /** Commands read but not yet answered (0 when client and host are in step). */
  unanswered(): number {
    return this.lines.length - this.answered;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private reply(socket: Socket, text: string): void {
    this.answered++;
    socket.write(`${text}\r\n`);
  }
}
