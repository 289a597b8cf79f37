import { Router } from 'express';

export interface Lifecycle {
  /** False once shutdown has begun: load balancers stop sending traffic. */
  ready: boolean;
}

/** Liveness and readiness, in plain text, for load balancers and the container's HEALTHCHECK. */
export function healthRoutes(lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain').send('ok\n');
  });
  router.get('/readyz', (_req, res) => {
    res.set('Cache-Control', 'no-store').type('text/plain');
    if (lifecycle.ready) res.send('ready\n');
    else res.status(503).send('shutting down\n');
  });
  return router;
}
