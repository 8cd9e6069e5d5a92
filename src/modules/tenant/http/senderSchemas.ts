import { z } from 'zod';
import { isPlainAddress } from '../../../shared/mail/address';
import { rule } from '../../../shared/messages/message';
import { isSenderPattern } from '../domain/senderPolicy';

/** A bare mailbox (`local@domain`): the alert address and the addresses a verify probes. */
export const Address = z.string().max(254).refine(isPlainAddress, rule('plain_address'));

/** An entry of the sender policy: `local@domain` or `*@domain`. */
export const SenderPattern = z
  .string()
  .max(254)
  .refine((value) => isSenderPattern(value, isPlainAddress), rule('sender_pattern'));
