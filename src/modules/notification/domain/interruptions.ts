import type { OutboxMessage } from './OutboxMessage';
import { message as text, type Message } from '../../../shared/messages/message';

/**
 * Why a message is set aside instead of tried again: its sends were cut off `max` times without an
 * outcome (whatever stops the process while it sends would stop it again after every restart).
 */
export function setAsideReason(message: Pick<OutboxMessage, 'interruptions'>, max: number): Message | undefined {
  if (message.interruptions < max) return undefined;
  return text('delivery_interrupted', { interruptions: message.interruptions });
}

/**
 * A message that was leased when a process died is suspect; its next send is counted before it
 * starts, so that only the sends under way at a death add up (not those merely waiting their turn).
 */
export function countsBeforeSending(message: Pick<OutboxMessage, 'interruptions'>): boolean {
  return message.interruptions > 0;
}
