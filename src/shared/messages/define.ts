import type { MessageDefinition } from './codes';

export const define = <T extends Record<string, MessageDefinition>>(messages: T): T => messages;
