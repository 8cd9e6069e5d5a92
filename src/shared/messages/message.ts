import { MESSAGES, type Message, type MessageCode, type MessageParams } from './codes';

export type { Message, MessageCode, MessageParams } from './codes';

/** The English text of `code` with its parameters filled in. */
export function render(code: MessageCode, params: MessageParams = {}): string {
  return MESSAGES[code].en.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? shown(params[name]!) : placeholder));
}

/** One message as code, parameters and English text together, so that no text exists without its code. */
export function message(code: MessageCode, params: MessageParams = {}): Message {
  return { code, params, message: render(code, params) };
}

/** A message that wraps another (`cause`): its params carry the cause's params and `causeCode`. */
export function wrapping(code: MessageCode, params: MessageParams, cause: Message): Message {
  return { code, params: { ...cause.params, ...params, causeCode: cause.code }, message: render(code, { ...params, cause: cause.message }) };
}

export function isMessageCode(value: unknown): value is MessageCode {
  return typeof value === 'string' && Object.hasOwn(MESSAGES, value);
}

/** The options of a schema refinement that fails with `code`: its English text, and the code for the field error. */
export function rule(code: MessageCode, params: MessageParams = {}): { message: string; params: MessageParams & { code: MessageCode } } {
  return { message: render(code, params), params: { ...params, code } };
}

function shown(value: string | number | string[]): string {
  return typeof value === 'object' ? value.join(', ') : String(value);
}
