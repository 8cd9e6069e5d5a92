import { injectable, multiInject, optional } from 'inversify';
import type { BodySnapshot, BodyTemplate, RenderedBody } from '../domain/BodySnapshot';
import type { ComposeContext, MessageComposer } from '../domain/MessageComposer';
import type { OutboxMessage } from '../domain/OutboxMessage';
import { BODY_TEMPLATES } from '../tokens';
import { composeMessage } from './composeMessage';

/** Messages written out with nodemailer's encoders (see composeMessage); a stored snapshot is rendered first. */
@injectable()
export class MimeMessageComposer implements MessageComposer {
  private readonly templates: ReadonlyMap<string, BodyTemplate>;

  constructor(@multiInject(BODY_TEMPLATES) @optional() templates: BodyTemplate[] = []) {
    this.templates = new Map(templates.map((template) => [template.name, template]));
  }

  compose(message: OutboxMessage, context: ComposeContext): Buffer {
    return composeMessage(message.snapshot ? { ...message, ...this.render(message.snapshot) } : message, context);
  }

  private render(snapshot: BodySnapshot): RenderedBody {
    const template = this.templates.get(snapshot.template);
    if (!template) throw new Error(`no template "${snapshot.template}" renders this stored body`);
    return template.render(snapshot.data);
  }
}
