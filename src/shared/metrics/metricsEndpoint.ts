import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Registry } from 'prom-client';
import { UnauthenticatedError } from '../errors';
import { message } from '../messages/message';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** GET /metrics: the registry in Prometheus text, behind `Authorization: Bearer <token>` when a token is configured. */
export function metricsEndpoint(registry: Registry, token: string | undefined) {
  // Digests of equal length, so that the compare takes the same time whatever was presented.
  const expected = token === undefined ? undefined : digest(token);
  return async (req: Request, res: Response): Promise<void> => {
    if (expected) {
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
      if (presented === undefined) throw new UnauthenticatedError(message('metrics_token_missing'));
      if (!timingSafeEqual(digest(presented), expected)) throw new UnauthenticatedError(message('metrics_token_wrong'));
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}
