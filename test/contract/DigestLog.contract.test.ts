import { beforeEach, describe, expect, it } from 'vitest';
import type { DigestLog, PendingDigest } from '../../src/modules/alerting/domain/DigestLog';
import { outgoingMail, STORE_KINDS, useStores } from '../support/contractStores';

const D = '2027-03-10';

function digest(tenantId: string, recipient: string, date = D, ticketIds = ['T-1']): PendingDigest {
  return {
    key: { tenantId, recipient: recipient.toLowerCase(), date },
    ticketIds,
    mail: outgoingMail(tenantId, {
      kind: 'digest',
      to: [{ address: recipient }],
      cc: [],
      subject: `${date} for ${recipient}`,
      autoSubmitted: true,
      ticket: undefined,
    }),
  };
}

describe.each(STORE_KINDS)('DigestLog contract: %s', (_name, make) => {
  const context = useStores(make);
  let log: DigestLog;
  beforeEach(() => {
    log = context.stores.digestLog;
  });

  const queuedSubjects = async (tenantId: string) =>
    (await context.stores.notificationLog.list(tenantId, { limit: 500 })).items.map((message) => message.subject).sort();

  it('queues one mail per new key, none for a key recorded before or repeated in the same call', async () => {
    expect(await log.queueMany('run-1', [digest('acme', 'b@acme.ch')])).toEqual([true]);
    expect(
      await log.queueMany('run-2', [digest('acme', 'a@acme.ch'), digest('acme', 'B@acme.ch'), digest('acme', 'c@acme.ch'), digest('acme', 'A@acme.ch')]),
    ).toEqual([true, false, true, false]);
    expect(await queuedSubjects('acme')).toEqual([`${D} for a@acme.ch`, `${D} for b@acme.ch`, `${D} for c@acme.ch`]);
    const queued = (await context.stores.notificationLog.list('acme', { limit: 10 })).items;
    expect(queued.every((message) => message.kind === 'digest' && message.status === 'queued' && message.autoSubmitted)).toBe(true);
  });

  it('one digest per (tenant, recipient, day): another day or another tenant is another key', async () => {
    expect(await log.queueMany('run-1', [digest('acme', 'a@x.ch'), digest('acme', 'a@x.ch', '2027-03-11'), digest('globex', 'a@x.ch')])).toEqual([
      true,
      true,
      true,
    ]);
    expect(await log.queueMany('run-2', [digest('acme', 'a@x.ch'), digest('acme', 'a@x.ch', '2027-03-11'), digest('globex', 'a@x.ch')])).toEqual([
      false,
      false,
      false,
    ]);
    expect(await queuedSubjects('acme')).toHaveLength(2);
    expect(await queuedSubjects('globex')).toHaveLength(1);
  });

  it('wakes the dispatcher when it queued mail, and not when every key was taken', async () => {
    await log.queueMany('run-1', [digest('acme', 'a@x.ch')]);
    const woken = context.signal.news.length;
    expect(woken).toBeGreaterThan(0);
    await log.queueMany('run-2', [digest('acme', 'a@x.ch')]);
    await log.queueMany('run-2', []);
    expect(context.signal.news.length).toBe(woken);
  });

  it('two overlapping runs at the same time queue each key once between them', async () => {
    const recipients = Array.from({ length: 450 }, (_, index) => `user${String(index).padStart(4, '0')}@acme.ch`);
    const [first, second] = await Promise.all([
      log.queueMany(
        'run-1',
        recipients.slice(0, 300).map((recipient) => digest('acme', recipient)),
      ),
      log.queueMany(
        'run-2',
        recipients
          .slice(150)
          .reverse()
          .map((recipient) => digest('acme', recipient)),
      ),
    ]);
    expect(first.filter(Boolean).length + second.filter(Boolean).length).toBe(450);
    const subjects = await queuedSubjects('acme');
    expect(subjects).toHaveLength(450);
    expect(new Set(subjects).size).toBe(450);
  });

  it('overlapping runs that meet the same keys in opposite orders neither deadlock nor queue a key twice', async () => {
    // Several batches per run and opposite orders: each run would hold keys the other one waits for.
    const recipients = Array.from({ length: 1_000 }, (_, index) => `user${String(index).padStart(4, '0')}@acme.ch`);
    for (const date of ['2027-03-11', '2027-03-12', '2027-03-13']) {
      const [first, second] = await Promise.all([
        log.queueMany(
          `a-${date}`,
          recipients.map((recipient) => digest('acme', recipient, date)),
        ),
        log.queueMany(
          `b-${date}`,
          [...recipients].reverse().map((recipient) => digest('acme', recipient, date)),
        ),
      ]);
      expect(first.filter(Boolean).length + second.filter(Boolean).length).toBe(1_000);
    }
  });

  it('history tells who got the day’s digest and, for the others, the tickets of their latest earlier one', async () => {
    await log.queueMany('run-1', [digest('acme', 'a@x.ch', '2027-03-07', ['T-1']), digest('acme', 'b@x.ch', '2027-03-08', ['T-1', 'T-2'])]);
    await log.queueMany('run-2', [digest('acme', 'a@x.ch', '2027-03-09', ['T-3']), digest('acme', 'c@x.ch', D, ['T-9'])]);
    await log.queueMany('run-3', [digest('acme', 'b@x.ch', '2027-03-11', ['T-late']), digest('globex', 'd@x.ch', '2027-03-09')]);
    const history = await log.history('acme', ['a@x.ch', 'b@x.ch', 'c@x.ch', 'd@x.ch', 'e@x.ch'], D);
    expect([...history.sent]).toEqual(['c@x.ch']);
    expect(Object.fromEntries(history.previousTickets)).toEqual({ 'a@x.ch': ['T-3'], 'b@x.ch': ['T-1', 'T-2'] });
  });

  it('history reads many recipients at once', async () => {
    const recipients = Array.from({ length: 900 }, (_, index) => `r${index}@x.ch`);
    await log.queueMany(
      'run-1',
      recipients.filter((_, index) => index % 2 === 0).map((recipient) => digest('acme', recipient)),
    );
    const history = await log.history('acme', recipients, D);
    expect(history.sent.size).toBe(450);
    expect(history.sent.has('r898@x.ch')).toBe(true);
    expect(history.previousTickets.size).toBe(0);
  });

  it('deleteTenant forgets only that tenant’s digests', async () => {
    await log.queueMany('run-1', [digest('acme', 'a@x.ch'), digest('globex', 'a@x.ch')]);
    await log.deleteTenant('acme');
    expect((await log.history('acme', ['a@x.ch'], D)).sent.size).toBe(0);
    expect((await log.history('globex', ['a@x.ch'], D)).sent.size).toBe(1);
    expect(await log.queueMany('run-2', [digest('acme', 'a@x.ch'), digest('globex', 'a@x.ch')])).toEqual([true, false]);
  });
});
