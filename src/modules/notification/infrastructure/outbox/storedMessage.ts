import { isMessageCode, type Message, type MessageParams } from '../../../../shared/messages/message';

/** The columns of a stored message: the English text, its code and its params (JSON). */
export function errorColumns(message: Message | null): { last_error: string | null; last_error_code: string | null; last_error_params: string | null } {
  if (!message) return { last_error: null, last_error_code: null, last_error_params: null };
  return { last_error: message.message, last_error_code: message.code, last_error_params: JSON.stringify(message.params) };
}

/** A stored message back; rows written before codes were stored keep their text under `stored_text`. */
export function storedMessage(text: string | null, code: string | null, params: string | null): Message | undefined {
  if (text === null) return undefined;
  if (!isMessageCode(code)) return { code: 'stored_text', params: { text }, message: text };
  return { code, params: params ? (JSON.parse(params) as MessageParams) : {}, message: text };
}

/**
 * The sender rewrite's reason is stored as the JSON of the whole message in its one column: new
 * columns would have to be carried through the insert view of the outbox.
 */
export function rewriteReasonColumn(reason: Message | undefined): string | null {
  return reason ? JSON.stringify(reason) : null;
}

export function storedRewriteReason(column: string | null): Message | undefined {
  if (column === null) return undefined;
  if (column.startsWith('{')) {
    const stored = JSON.parse(column) as Message;
    if (isMessageCode(stored.code)) return stored;
  }
  return { code: 'stored_text', params: { text: column }, message: column };
}
