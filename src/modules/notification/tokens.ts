import type { ServiceIdentifier } from 'inversify';
import type { DispatchSignal } from './domain/DispatchSignal';
import type { MailTransport } from './domain/MailTransport';
import type { Outbox } from './domain/Outbox';

export const OUTBOX: ServiceIdentifier<Outbox> = Symbol.for('notification.Outbox');
export const MAIL_TRANSPORT: ServiceIdentifier<MailTransport> = Symbol.for('notification.MailTransport');
export const DISPATCH_SIGNAL: ServiceIdentifier<DispatchSignal> = Symbol.for('notification.DispatchSignal');
