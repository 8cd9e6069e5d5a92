import { Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per container, so that tests building several containers do not collide. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
