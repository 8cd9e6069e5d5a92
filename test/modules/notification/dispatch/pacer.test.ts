import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../../src/modules/notification/application/dispatch/Pacer';
import { DEFAULT_DELIVERY_OPTIONS } from '../../../../src/modules/notification/domain/DeliveryOptions';

const options = {
  ...DEFAULT_DELIVERY_OPTIONS,
  yieldToIntakeAt: 8,
  yieldHoldMs: 250,
  sendsPerSecondWhileYielding: 500,
  sendsWhileYielding: 2,
  perTenantConcurrency: 3,
  pipelineDepth: 2,
};

describe('Pacer', () => {
  it('yields while the intake is busy and for yieldHoldMs after it calmed down', () => {
    const pacer = new Pacer(options);
    expect(pacer.yields(1_000, 7)).toBe(false);
    expect(pacer.yields(1_000, 8)).toBe(true);
    expect(pacer.yields(1_249, 0)).toBe(true);
    expect(pacer.yields(1_250, 0)).toBe(false);
  });

  it('allows fewer sends per tenant while yielding', () => {
    const pacer = new Pacer(options);
    expect(pacer.sendsPerTenant(false)).toBe(6);
    expect(pacer.sendsPerTenant(true)).toBe(2);
  });

  it('fills its bucket at the paced rate, up to a tenth of a second of sends', () => {
    const pacer = new Pacer(options);
    pacer.budget(0);
    expect(pacer.budget(10)).toBeCloseTo(5);
    pacer.spent(0.5);
    expect(pacer.budget(12)).toBeCloseTo(1.5);
    // Idle for a minute: no more than 50 (500/s × 0.1 s) at once.
    expect(pacer.budget(60_012)).toBe(50);
  });
});
