import 'reflect-metadata';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindAlertingNeighbours } from '../../support/alertingApp';
import { DATABASE_KINDS } from '../../support/databases';
import { testTenant } from '../../support/OverlayTenantDirectory';
import { createTestApp, type TestApp } from '../../support/testApp';
import { TEST_ADMIN_KEY } from '../../support/testConfig';

const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

describe.each(DATABASE_KINDS)('the deadlines API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, {
      prepare: (container) => bindAlertingNeighbours(container, [testTenant('acme'), testTenant('other')]).then(() => undefined),
    });
  });
  afterAll(async () => t?.close());

  it('accepts 5,000 deadlines in one request, pages them, and replace: true removes the rest', async () => {
    const deadlines = Array.from({ length: 5_000 }, (_, index) => ({
      ticketId: `T${String(index).padStart(4, '0')}`,
      title: `Ticket ${index}`,
      dueDate: `2027-03-${String((index % 28) + 1).padStart(2, '0')}`,
      assignees: [{ email: `user${index % 100}@acme.ch` }],
    }));
    const bulk = await request(t.app).put('/api/v1/tenants/acme/deadlines').set(admin).send({ deadlines });
    expect(bulk.status).toBe(200);
    expect(bulk.body).toEqual({ created: 5_000, replaced: 0, removed: 0 });
    await request(t.app).put('/api/v1/tenants/other/deadlines/X').set(admin).send({ title: 'x', dueDate: '2027-03-01', assignees: [] }).expect(201);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await request(t.app)
        .get(`/api/v1/tenants/acme/deadlines?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
        .set(admin);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item: { ticketId: string }) => item.ticketId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5_000);
    expect(new Set(seen).size).toBe(5_000);

    const early = await request(t.app).get('/api/v1/tenants/acme/deadlines?dueBefore=2027-03-02&limit=500').set(admin);
    expect(early.body.items.every((item: { dueDate: string }) => item.dueDate === '2027-03-01')).toBe(true);
    expect(early.body.items).toHaveLength(179);

    const replaced = await request(t.app)
      .put('/api/v1/tenants/acme/deadlines')
      .set(admin)
      .send({ replace: true, deadlines: deadlines.slice(0, 10).map((deadline) => ({ ...deadline, done: true })) });
    expect(replaced.body).toEqual({ created: 0, replaced: 10, removed: 4_990 });
    const left = await request(t.app).get('/api/v1/tenants/acme/deadlines?limit=500').set(admin);
    expect(left.body.items).toHaveLength(10);
    expect(left.body.items.every((item: { done: boolean }) => item.done)).toBe(true);
    expect((await request(t.app).get('/api/v1/tenants/other/deadlines').set(admin)).body.items).toHaveLength(1);
  });

  it('refuses more than 5,000 deadlines, and answers 201, 200 and 204 for single deadlines', async () => {
    const tooMany = Array.from({ length: 5_001 }, (_, index) => ({ ticketId: `${index}`, title: 't', dueDate: '2027-03-01', assignees: [] }));
    expect((await request(t.app).put('/api/v1/tenants/acme/deadlines').set(admin).send({ deadlines: tooMany })).status).toBe(400);
    const body = { title: 'Offerte', dueDate: '2027-03-05', assignees: [{ email: 'a@acme.ch', locale: 'fr' }], url: 'https://kos.example/t/1' };
    expect((await request(t.app).put('/api/v1/tenants/acme/deadlines/K-1').set(admin).send(body)).status).toBe(201);
    const again = await request(t.app)
      .put('/api/v1/tenants/acme/deadlines/K-1')
      .set(admin)
      .send({ ...body, done: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ ticketId: 'K-1', done: true, assignees: [{ address: 'a@acme.ch', locale: 'fr' }] });
    expect((await request(t.app).delete('/api/v1/tenants/acme/deadlines/K-1').set(admin)).status).toBe(204);
    expect((await request(t.app).delete('/api/v1/tenants/acme/deadlines/K-1').set(admin)).status).toBe(404);
    expect(
      (
        await request(t.app)
          .put('/api/v1/tenants/acme/deadlines/K-2')
          .set(admin)
          .send({ ...body, url: 'javascript:alert(1)' })
      ).status,
    ).toBe(400);
  });
});
