import type { AlertRun } from './AlertRun';

/** An alert run as GET /alert-runs/{id} answers it (and its webhook event carries it). */
export function alertRunView(run: AlertRun) {
  return {
    id: run.id,
    date: run.date,
    trigger: run.trigger,
    status: run.status,
    ...(run.scheduledAt ? { scheduledAt: run.scheduledAt.toISOString() } : {}),
    startedAt: run.startedAt.toISOString(),
    ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
    tenants: run.tenants,
    recipients: run.recipients,
    queued: run.queued,
    alreadySent: run.alreadySent,
    errors: run.errors,
  };
}
