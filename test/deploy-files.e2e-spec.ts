import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// No Docker engine runs here, so the compose file is checked for what
// operators rely on: the four services, health checks, and the roles.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'));

  it('runs postgres, redis, api and worker, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    for (const [name, svc] of Object.entries<Record<string, unknown>>(compose.services)) {
      expect([name, Boolean(svc.healthcheck)]).toEqual([name, true]);
    }
  });

  it('starts the API and the worker as separate roles of one image, after their dependencies are healthy', () => {
    expect(compose.services.api.environment.ROLE).toBe('api');
    expect(compose.services.worker.environment.ROLE).toBe('worker');
    expect(compose.services.api.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.api.environment.MIGRATE_ON_START).toBe('true');
  });

  it('has no top-level name: (older compose versions reject it)', () => {
    expect(compose.name).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  it('is multi-stage and runs the built app as a non-root user', () => {
    const text = readFileSync('Dockerfile', 'utf8');
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/CMD \["node", "dist\/main.js"\]/);
  });
});
