export const EVENT_TYPES = [
  'notification.sent',
  'notification.failed',
  'notification.parked',
  'tenant.mail_parked',
  'tenant.mail_resumed',
  'alert_run.completed',
  'alert_run.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A change KOS hears of: `data` is what the matching GET answers, with tenantId where there is one. */
export interface DeliveryEvent {
  type: EventType;
  data: Record<string, unknown> & { tenantId?: string };
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A stored event and how its delivery goes. */
export interface WebhookDelivery {
  /** Sent as webhook-id, the same on every try. */
  id: string;
  type: EventType;
  tenantId?: string;
  /** The exact JSON body POSTed: `{type, timestamp, data}`. */
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  createdAt: Date;
  deliveredAt?: Date;
}
