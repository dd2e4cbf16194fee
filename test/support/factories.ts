import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

export interface TestOrg {
  orgId: string;
  email: string;
  password: string;
  token: string;
  adminKey: string;
  auth: { Authorization: string };
  keyAuth: { Authorization: string };
}

/** A fresh organisation per test through the public signup route: no shared fixtures. */
export async function createOrg(t: TestApp, name = 'Org'): Promise<TestOrg> {
  const suffix = randomBytes(6).toString('hex');
  const email = `owner-${suffix}@example.test`;
  const password = `pw-${suffix}-long-enough`;
  const res = await t.http.post('/v1/signup').send({ orgName: `${name} ${suffix}`, email, password }).expect(201);
  return {
    orgId: res.body.org.id,
    email,
    password,
    token: res.body.accessToken,
    adminKey: res.body.apiKey.key,
    auth: { Authorization: `Bearer ${res.body.accessToken}` },
    keyAuth: { Authorization: `Bearer ${res.body.apiKey.key}` },
  };
}

/** Creates an API key with the given scopes and returns its Authorization header. */
export async function createKey(t: TestApp, org: TestOrg, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await t.http.post('/v1/api-keys').set(org.auth).send({ name: `key ${scopes.join('+')}`, scopes, ...extra }).expect(201);
  return { id: res.body.id as string, key: res.body.key as string, auth: { Authorization: `Bearer ${res.body.key}` } };
}

/** Invites a new person with a role, who accepts with a password of their own; returns their membership id, password and Authorization header. */
export async function createMember(t: TestApp, org: TestOrg, role: string) {
  const email = `${role}-${randomBytes(5).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(6).toString('hex')}-long-enough`;
  const invited = await t.http.post('/v1/members').set(org.auth).send({ email, role }).expect(201);
  const accepted = await t.http.post('/v1/invitations/accept').send({ token: invited.body.token, password }).expect(200);
  const members = await t.http.get('/v1/members').set(org.auth).expect(200);
  const id = (members.body.data as { id: string; email: string }[]).find((m) => m.email === email)!.id;
  return { id, email, password, auth: { Authorization: `Bearer ${accepted.body.accessToken}` } };
}
