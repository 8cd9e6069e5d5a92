import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/shared/logging/logger';

/** A logger at trace level whose every line the test can read. */
export function captureLog(): { logger: Logger; lines: () => string[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('trace', stream);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean), text: () => chunks.join('') };
}
