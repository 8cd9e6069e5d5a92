import { beforeEach, describe, expect, it } from 'vitest';
import type { AlertRunStore, NewAlertRun } from '../../src/modules/alerting/domain/AlertRunStore';
import { STORE_KINDS, useStores } from '../support/contractStores';

const at = (time: string) => new Date(`2027-03-10T${time}Z`);
const FIRE = at('02:00:00');
const counts = { tenants: 3, recipients: 7, queued: 5, alreadySent: 2 };

function run(id: string, extra: Partial<NewAlertRun> = {}): NewAlertRun {
  return { id, date: '2027-03-10', trigger: 'manual', startedAt: at('08:00:00'), ...extra };
}

describe.each(STORE_KINDS)('AlertRunStore contract: %s', (_name, make) => {
  const context = useStores(make);
  let runs: AlertRunStore;
  beforeEach(() => {
    runs = context.stores.alertRuns;
  });

  it('start records a running run with empty counts', async () => {
    expect(await runs.start(run('r1', { trigger: 'schedule', scheduledAt: FIRE }))).toBe(true);
    expect(await runs.get('r1')).toEqual({
      id: 'r1',
      date: '2027-03-10',
      trigger: 'schedule',
      status: 'running',
      scheduledAt: FIRE,
      startedAt: at('08:00:00'),
      heartbeatAt: at('08:00:00'),
      tenants: 0,
      recipients: 0,
      queued: 0,
      alreadySent: 0,
      errors: [],
    });
    expect(await runs.get('r-unknown')).toBeUndefined();
  });

  it('one run per fire time: a second is refused whatever the first’s state; runs without one never are', async () => {
    expect(await runs.start(run('r1', { trigger: 'schedule', scheduledAt: FIRE }))).toBe(true);
    expect(await runs.start(run('r2', { trigger: 'catch-up', scheduledAt: FIRE }))).toBe(false);
    await runs.finish('r1', { status: 'completed', finishedAt: at('08:01:00'), counts, errors: [] });
    expect(await runs.start(run('r3', { trigger: 'schedule', scheduledAt: FIRE }), { takeOverFailed: true })).toBe(false);
    expect(await runs.start(run('m1'))).toBe(true);
    expect(await runs.start(run('m2'))).toBe(true);
    expect(await runs.get('r2')).toBeUndefined();
  });

  it('of runs starting at once for one fire time exactly one gets it', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => runs.start(run(id, { trigger: 'schedule', scheduledAt: FIRE }))));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('with takeOverFailed a run takes the fire time of a failed holder, which keeps its record', async () => {
    await runs.start(run('r1', { trigger: 'schedule', scheduledAt: FIRE }));
    expect(await runs.start(run('r2', { trigger: 'catch-up', scheduledAt: FIRE }), { takeOverFailed: true })).toBe(false);
    await runs.finish('r1', { status: 'failed', finishedAt: at('08:01:00'), counts, errors: [{ message: 'boom' }] });
    expect(await runs.start(run('r2', { trigger: 'catch-up', scheduledAt: FIRE }))).toBe(false);
    expect(await runs.start(run('r2', { trigger: 'catch-up', scheduledAt: FIRE, startedAt: at('09:00:00') }), { takeOverFailed: true })).toBe(true);
    expect(await runs.get('r1')).toMatchObject({ status: 'failed', scheduledAt: FIRE });
    expect(await runs.start(run('r3', { trigger: 'catch-up', scheduledAt: FIRE }), { takeOverFailed: true })).toBe(false);
  });

  it('lastSuccess names the latest day and the latest finish over the completed runs only', async () => {
    expect(await runs.lastSuccess()).toBeUndefined();
    await runs.start(run('old-day', { date: '2027-03-09' }));
    await runs.finish('old-day', { status: 'completed', finishedAt: at('09:00:00'), counts, errors: [] });
    await runs.start(run('today', { date: '2027-03-10' }));
    await runs.finish('today', { status: 'completed', finishedAt: at('08:30:00'), counts, errors: [] });
    await runs.start(run('failed', { date: '2027-03-11' }));
    await runs.finish('failed', { status: 'failed', finishedAt: at('10:00:00'), counts, errors: [{ message: 'boom' }] });
    await runs.start(run('running', { date: '2027-03-12' }));
    expect(await runs.lastSuccess()).toEqual({ date: '2027-03-10', finishedAt: at('09:00:00') });
  });

  it('finish records the outcome and counts of a running run', async () => {
    await runs.start(run('r1'));
    await runs.finish('r1', { status: 'completed', finishedAt: at('08:05:00'), counts, errors: [{ tenantId: 'acme', message: 'host down' }] });
    expect(await runs.get('r1')).toMatchObject({
      status: 'completed',
      finishedAt: at('08:05:00'),
      ...counts,
      errors: [{ tenantId: 'acme', message: 'host down' }],
    });
  });

  it('abandonStale fails the running runs whose heartbeat stopped, and only those', async () => {
    await runs.start(run('stale', { startedAt: at('08:00:00') }));
    await runs.start(run('alive', { startedAt: at('08:00:00') }));
    await runs.start(run('done', { startedAt: at('08:00:00') }));
    await runs.heartbeat('alive', at('08:09:00'));
    await runs.finish('done', { status: 'completed', finishedAt: at('08:01:00'), counts, errors: [] });
    expect(await runs.abandonStale(at('08:05:00'), at('08:10:00'))).toEqual(['stale']);
    const stale = await runs.get('stale');
    expect(stale).toMatchObject({ status: 'failed', finishedAt: at('08:10:00') });
    expect(stale!.errors).toHaveLength(1);
    expect(await runs.get('alive')).toMatchObject({ status: 'running', heartbeatAt: at('08:09:00') });
    expect(await runs.get('done')).toMatchObject({ status: 'completed' });
    expect(await runs.abandonStale(at('08:05:00'), at('08:11:00'))).toEqual([]);
  });

  it('a run taken over keeps the verdict failed but records what it did; its heartbeat no longer counts', async () => {
    await runs.start(run('r1'));
    await runs.abandonStale(at('08:01:00'), at('08:02:00'));
    await runs.heartbeat('r1', at('08:03:00'));
    await runs.finish('r1', { status: 'completed', finishedAt: at('08:04:00'), counts, errors: [{ tenantId: 'acme', message: 'late' }] });
    const taken = await runs.get('r1');
    expect(taken).toMatchObject({ status: 'failed', heartbeatAt: at('08:00:00'), ...counts });
    expect(taken!.errors).toHaveLength(2);
    expect(taken!.errors[1]).toEqual({ tenantId: 'acme', message: 'late' });
  });

  it('lists newest first, with a position to continue from', async () => {
    for (const [id, time] of [
      ['a', '08:00:00'],
      ['c', '08:02:00'],
      ['b', '08:02:00'],
      ['d', '08:03:00'],
    ] as const)
      await runs.start(run(id, { startedAt: at(time) }));
    expect((await runs.list(10)).map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect((await runs.list(2)).map((r) => r.id)).toEqual(['d', 'c']);
    expect((await runs.list(10, { startedAt: at('08:02:00').getTime(), id: 'c' })).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('hasCompleted is true once a run of the day completed', async () => {
    await runs.start(run('r1'));
    expect(await runs.hasCompleted('2027-03-10')).toBe(false);
    await runs.finish('r1', { status: 'failed', finishedAt: at('08:01:00'), counts, errors: [] });
    expect(await runs.hasCompleted('2027-03-10')).toBe(false);
    await runs.start(run('r2', { date: '2027-03-09' }));
    await runs.finish('r2', { status: 'completed', finishedAt: at('08:02:00'), counts, errors: [] });
    expect(await runs.hasCompleted('2027-03-09')).toBe(true);
    expect(await runs.hasCompleted('2027-03-10')).toBe(false);
  });
});
