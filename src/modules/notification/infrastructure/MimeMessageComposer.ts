import { injectable } from 'inversify';
import type { ComposeContext, MessageComposer } from '../domain/MessageComposer';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { composeMessage } from './composeMessage';

/** Messages written out with nodemailer's encoders (see composeMessage). */
@injectable()
export class MimeMessageComposer implements MessageComposer {
  compose(message: OutboxMessage, context: ComposeContext): Buffer {
    return composeMessage(message, context);
  }
}
