import { describe, expect, it } from 'vitest';
import { SendWindows } from '../../../../src/modules/notification/application/dispatch/SendWindows';

describe('SendWindows', () => {
  it('admits maxPerMinute sends a minute and tells when the oldest leaves the window', () => {
    const windows = new SendWindows();
    expect(windows.admit('t', 2, 1_000)).toBeUndefined();
    expect(windows.admit('t', 2, 2_000)).toBeUndefined();
    expect(windows.admit('t', 2, 3_000)).toBe(61_000);
    expect(windows.admit('t', 2, 61_001)).toBeUndefined();
  });

  it('admits every send of a tenant without a limit', () => {
    const windows = new SendWindows();
    for (let i = 0; i < 1_000; i++) expect(windows.admit('t', undefined, i)).toBeUndefined();
  });

  it('reports the room of the tenants with a limit only, and forgets a limit', () => {
    const windows = new SendWindows();
    windows.setLimit('limited', 3);
    windows.setLimit('free', undefined);
    windows.admit('limited', 3, 0);
    expect([...windows.room(10)]).toEqual([{ tenantId: 'limited', left: 2, freesAt: 60_000 }]);
    expect([...windows.room(60_000)]).toEqual([{ tenantId: 'limited', left: 3, freesAt: undefined }]);
    windows.setLimit('limited', undefined);
    expect([...windows.room(10)]).toEqual([]);
  });
});
