import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionCap, descriptorLimit } from '../../src/shared/http/connectionLimits';

describe('the HTTP connection cap', () => {
  it('keeps half the descriptors and a reserve free, within 16 and 8,192', () => {
    expect(connectionCap(512)).toBe(128);
    expect(connectionCap(1_024)).toBe(384);
    expect(connectionCap(65_536)).toBe(8_192);
    expect(connectionCap(100)).toBe(16);
  });

  it("reads the soft limit of open files from the process's limits", () => {
    const dir = mkdtempSync(join(tmpdir(), 'kos-limits-'));
    try {
      const file = join(dir, 'limits');
      writeFileSync(
        file,
        'Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \n',
      );
      expect(descriptorLimit(file)).toBe(1_024);
      expect(descriptorLimit(join(dir, 'missing'))).toBeUndefined();
      expect(descriptorLimit()).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
