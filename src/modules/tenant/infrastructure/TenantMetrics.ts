import { inject, injectable } from 'inversify';
import { Gauge, type Registry } from 'prom-client';
import { METRICS } from '../../../shared/tokens';
import type { TenantRepository } from '../domain/TenantRepository';
import { TENANT_REPOSITORY } from '../tokens';

/** Gauges of the tenants' mail state, read from the database at scrape time (the same on every instance). */
@injectable()
export class TenantMetrics {
  constructor(@inject(METRICS) registry: Registry, @inject(TENANT_REPOSITORY) tenants: TenantRepository) {
    new Gauge({
      name: 'kos_tenants_parked',
      help: 'Tenants whose mail is parked because their host refused the login',
      registers: [registry],
      async collect() {
        this.set((await tenants.parkedSummary()).count);
      },
    });
    new Gauge({
      name: 'kos_tenants_parked_oldest_since_timestamp_seconds',
      help: 'Since when the longest-parked tenant is parked, unix time; 0 when none is',
      registers: [registry],
      async collect() {
        const { oldestSince } = await tenants.parkedSummary();
        this.set(oldestSince ? oldestSince.getTime() / 1000 : 0);
      },
    });
  }
}
