import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/api';

type Notification = components['schemas']['Notification'];
type AlertRun = components['schemas']['AlertRun'];

export interface WalkThroughResult {
  notification: Notification;
  run: AlertRun;
  deadlineStatus: number;
}

/**
 * The README's walk-through (create a tenant, queue a notification, read its status, put a
 * deadline, start an alert run) through a client generated from /openapi.json: if the document
 * and the service disagreed, this would not compile or would fail at run time.
 */
export async function walkThrough(baseUrl: string, adminKey: string, smtpPort: number, today: string): Promise<WalkThroughResult> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${adminKey}` } });
  const tenantId = 'kunde';

  const tenant = await api.PUT('/api/v1/tenants/{tenantId}', {
    params: { path: { tenantId } },
    body: {
      name: 'Kunde AG',
      alertSender: { address: 'kos@kunde.ch' },
      mail: { preset: 'custom', host: '127.0.0.1', port: smtpPort, security: 'none', allowedSenders: ['*@kunde.ch'] },
    },
  });
  if (!tenant.data) throw new Error(`PUT tenant: ${tenant.response.status} ${JSON.stringify(tenant.error)}`);
  const created: components['schemas']['Tenant'] = tenant.data;

  const queued = await api.POST('/api/v1/tenants/{tenantId}/notifications', {
    params: { path: { tenantId: created.id } },
    body: {
      author: { name: 'Anna Meier', email: 'anna.meier@kunde.ch' },
      to: [{ email: 'beat.keller@kunde.ch' }],
      subject: 'Neuer Kommentar',
      text: 'Bitte bis Freitag.',
    },
  });
  if (!queued.data) throw new Error(`POST notification: ${queued.response.status}`);
  const id: string = queued.data.id;

  let notification: Notification | undefined;
  for (let tries = 0; tries < 200; tries++) {
    const read = await api.GET('/api/v1/tenants/{tenantId}/notifications/{notificationId}', { params: { path: { tenantId, notificationId: id } } });
    if (!read.data) throw new Error(`GET notification: ${read.response.status}`);
    notification = read.data;
    if (notification.status === 'sent' || notification.status === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const deadline = await api.PUT('/api/v1/tenants/{tenantId}/deadlines/{ticketId}', {
    params: { path: { tenantId, ticketId: 'T-1' } },
    body: { title: 'Offerte', dueDate: today, assignees: [{ email: 'beat.keller@kunde.ch' }] },
  });
  if (!deadline.data) throw new Error(`PUT deadline: ${deadline.response.status}`);
  const assignee: components['schemas']['MailAddress']['address'] = deadline.data.assignees[0]!.address;
  if (assignee !== 'beat.keller@kunde.ch') throw new Error(`the deadline's assignee came back as ${assignee}`);

  const started = await api.POST('/api/v1/alert-runs', { body: {} });
  if (!started.data) throw new Error(`POST alert run: ${started.response.status}`);
  let run: AlertRun | undefined;
  for (let tries = 0; tries < 200; tries++) {
    const read = await api.GET('/api/v1/alert-runs/{runId}', { params: { path: { runId: started.data.id } } });
    if (!read.data) throw new Error(`GET alert run: ${read.response.status}`);
    run = read.data;
    if (run.status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // A problem answer is typed as Problem.
  const missing = await api.GET('/api/v1/tenants/{tenantId}/notifications/{notificationId}', { params: { path: { tenantId, notificationId: 'msg_none' } } });
  const problem: components['schemas']['Problem'] | undefined = missing.error;
  if (problem?.status !== 404) throw new Error(`expected a 404 problem, got ${missing.response.status}`);

  return { notification: notification!, run: run!, deadlineStatus: deadline.response.status };
}
