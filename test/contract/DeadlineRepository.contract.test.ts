import { beforeEach, describe, expect, it } from 'vitest';
import type { Deadline, DueDeadline } from '../../src/modules/alerting/domain/Deadline';
import type { DeadlineRepository } from '../../src/modules/alerting/domain/DeadlineRepository';
import { STORE_KINDS, useStores } from '../support/contractStores';

const deadline = (ticketId: string, dueDate: string, emails: string[], extra: Partial<Deadline> = {}): Deadline => ({
  ticketId,
  title: `Ticket ${ticketId}`,
  dueDate,
  assignees: emails.map((email) => ({ email })),
  done: false,
  ...extra,
});

async function collect(lines: AsyncIterable<DueDeadline>): Promise<DueDeadline[]> {
  const all: DueDeadline[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

describe.each(STORE_KINDS)('DeadlineRepository contract: %s', (_name, make) => {
  const context = useStores(make);
  let repo: DeadlineRepository;
  beforeEach(() => {
    repo = context.stores.deadlines;
  });

  it('put creates, then replaces, and remove deletes', async () => {
    expect(await repo.put('t1', deadline('A-1', '2027-03-05', ['a@x.ch']))).toBe(true);
    expect(await repo.put('t1', deadline('A-1', '2027-03-06', ['b@x.ch'], { title: 'renamed', url: 'https://kos.example/A-1' }))).toBe(false);
    const [stored] = await repo.list('t1', { limit: 10 });
    expect(stored).toMatchObject({
      ticketId: 'A-1',
      title: 'renamed',
      dueDate: '2027-03-06',
      assignees: [{ email: 'b@x.ch' }],
      url: 'https://kos.example/A-1',
      done: false,
    });
    expect(stored!.updatedAt).toBeInstanceOf(Date);
    expect(await repo.remove('t1', 'A-1')).toBe(true);
    expect(await repo.remove('t1', 'A-1')).toBe(false);
    expect(await repo.list('t1', { limit: 10 })).toEqual([]);
  });

  it('keeps tenants apart', async () => {
    await repo.put('t1', deadline('A-1', '2027-03-05', ['a@x.ch']));
    await repo.put('t2', deadline('A-1', '2027-03-07', ['a@x.ch']));
    expect((await repo.list('t1', { limit: 10 })).map((d) => d.dueDate)).toEqual(['2027-03-05']);
    expect((await collect(repo.streamDue('t2', '2027-12-31'))).map((line) => line.tenantId)).toEqual(['t2']);
  });

  it('lists by due date then ticket id, with dueBefore and keyset paging', async () => {
    await repo.putMany(
      't1',
      [deadline('B', '2027-03-02', []), deadline('A', '2027-03-02', []), deadline('C', '2027-03-01', []), deadline('D', '2027-04-01', [])],
      { replace: false },
    );
    expect((await repo.list('t1', { limit: 10 })).map((d) => d.ticketId)).toEqual(['C', 'A', 'B', 'D']);
    expect((await repo.list('t1', { limit: 10, dueBefore: '2027-04-01' })).map((d) => d.ticketId)).toEqual(['C', 'A', 'B']);
    expect((await repo.list('t1', { limit: 2, after: { dueDate: '2027-03-02', ticketId: 'A' } })).map((d) => d.ticketId)).toEqual(['B', 'D']);
  });

  it('putMany counts created and replaced, and replace removes the unlisted ones', async () => {
    await repo.putMany('t1', [deadline('A', '2027-03-02', ['a@x.ch']), deadline('B', '2027-03-02', ['a@x.ch'])], { replace: false });
    await repo.put('t2', deadline('Z', '2027-03-02', ['a@x.ch']));
    expect(await repo.putMany('t1', [deadline('B', '2027-03-03', ['a@x.ch']), deadline('C', '2027-03-03', ['a@x.ch'])], { replace: true })).toEqual({
      created: 1,
      replaced: 1,
      removed: 1,
    });
    expect((await repo.list('t1', { limit: 10 })).map((d) => d.ticketId)).toEqual(['B', 'C']);
    expect((await collect(repo.streamDue('t1', '2027-12-31'))).map((line) => line.ticketId)).toEqual(['B', 'C']);
    expect(await repo.list('t2', { limit: 10 })).toHaveLength(1);
  });

  it('streams open deadlines due by the last day, one line per assignee, grouped by lower-cased address', async () => {
    await repo.putMany(
      't1',
      [
        deadline('A', '2027-03-03', ['Anna@X.ch', 'bob@x.ch']),
        deadline('B', '2027-03-01', ['anna@x.ch', 'ANNA@x.ch']),
        deadline('C', '2027-03-09', ['anna@x.ch']),
        deadline('D', '2027-03-02', ['bob@x.ch'], { done: true }),
        deadline('E', '2027-03-02', ['carl@x.ch']),
      ],
      { replace: false },
    );
    const lines = await collect(repo.streamDue('t1', '2027-03-08'));
    expect(lines.map((line) => `${line.recipient} ${line.ticketId}`)).toEqual(['anna@x.ch B', 'anna@x.ch A', 'bob@x.ch A', 'carl@x.ch E']);
    expect(lines[1]).toMatchObject({ email: 'Anna@X.ch', title: 'Ticket A', dueDate: '2027-03-03' });
  });

  it('a deadline marked done leaves the stream, and reopening brings it back', async () => {
    await repo.put('t1', deadline('A', '2027-03-01', ['a@x.ch']));
    await repo.put('t1', deadline('A', '2027-03-01', ['a@x.ch'], { done: true }));
    expect(await collect(repo.streamDue('t1', '2027-03-08'))).toEqual([]);
    await repo.put('t1', deadline('A', '2027-03-01', ['a@x.ch']));
    expect(await collect(repo.streamDue('t1', '2027-03-08'))).toHaveLength(1);
  });

  it('streams more lines than one page, in order, without losing any', async () => {
    const many = Array.from({ length: 2_345 }, (_, index) =>
      deadline(`T${String(index).padStart(5, '0')}`, `2027-03-${String((index % 20) + 1).padStart(2, '0')}`, [`user${index % 7}@x.ch`]),
    );
    await repo.putMany('t1', many, { replace: false });
    const lines = await collect(repo.streamDue('t1', '2027-03-31'));
    expect(lines).toHaveLength(2_345);
    const keys = lines.map((line) => `${line.recipient}|${line.dueDate}|${line.ticketId}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(lines.map((line) => line.ticketId)).size).toBe(2_345);
  });

  it('deleteTenant removes only that tenant', async () => {
    await repo.put('t1', deadline('A', '2027-03-01', ['a@x.ch']));
    await repo.put('t2', deadline('A', '2027-03-01', ['a@x.ch']));
    await repo.deleteTenant('t1');
    expect(await collect(repo.streamDue('t1', '2027-03-08'))).toEqual([]);
    expect(await repo.list('t1', { limit: 10 })).toEqual([]);
    expect(await repo.list('t2', { limit: 10 })).toHaveLength(1);
  });
});
