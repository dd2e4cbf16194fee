import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/config.js';

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

  it('its fallback JWT secret runs a local stack but is refused in production (a published secret signs anyone\'s tokens)', () => {
    const fallback = /\$\{JWT_SECRET:-([^}]+)\}/.exec(compose.services.api.environment.JWT_SECRET)?.[1];
    expect(fallback).toBeDefined();
    expect(compose.services.api.environment.NODE_ENV).toBe('${NODE_ENV:-development}');
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: fallback })).toThrow(/published in this repository/);
    expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: fallback }).auth.jwtSecret).toBe(fallback);
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
