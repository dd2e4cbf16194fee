import { randomBytes } from 'node:crypto';
import { bootApp, type TestApp } from '../support/app.js';
import { createMember, createOrg, type TestOrg } from '../support/factories.js';

/**
 * "Keys created by a removed admin keep working (decide and document)." Decided: admin-scoped keys
 * attributed to a person (made by them, or by an admin key they made) are revoked when the person leaves or
 * drops below admin; narrower keys belong to the services using them and keep working, listed with
 * `createdBy` so an admin can rotate them.
 */
let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

const event = () => ({ id: randomBytes(6).toString('hex'), timestamp: new Date(Date.now() - 60_000).toISOString(), provider: 'openai', model: 'gpt-4o', workload: 'chat', usage: { inputTokens: 10, outputTokens: 1 } });

async function adminWithKeys(org: TestOrg) {
  const admin = await createMember(t, org, 'admin');
  const me = await t.http.get('/v1/members').set(org.auth).expect(200);
  const userId = (me.body.data as { id: string; userId: string }[]).find((m) => m.id === admin.id)!.userId;
  const adminKey = (await t.http.post('/v1/api-keys').set(admin.auth).send({ name: 'ops', scopes: ['admin'] }).expect(201)).body;
  const childKey = (await t.http.post('/v1/api-keys').set({ Authorization: `Bearer ${adminKey.key}` }).send({ name: 'made by a key', scopes: ['admin'] }).expect(201)).body;
  const ingestKey = (await t.http.post('/v1/api-keys').set(admin.auth).send({ name: 'chat service', scopes: ['ingest'] }).expect(201)).body;
  return { admin, userId, adminKey, childKey, ingestKey };
}

describe('API keys of people who leave', () => {
  it("removing an admin revokes their admin keys (and those their keys made) at once; their ingest key keeps the service running", async () => {
    const org = await createOrg(t);
    const k = await adminWithKeys(org);
    const keys = await t.http.get('/v1/api-keys').set(org.auth).expect(200);
    const byId = new Map((keys.body.data as { id: string; createdBy: string | null }[]).map((x) => [x.id, x.createdBy]));
    expect([byId.get(k.adminKey.id), byId.get(k.childKey.id), byId.get(k.ingestKey.id)]).toEqual([k.userId, k.userId, k.userId]);
    await t.http.get('/v1/api-keys').set({ Authorization: `Bearer ${k.childKey.key}` }).expect(200);

    await t.http.delete(`/v1/members/${k.admin.id}`).set(org.auth).expect(204);

    await t.http.get('/v1/api-keys').set({ Authorization: `Bearer ${k.adminKey.key}` }).expect(401);
    await t.http.get('/v1/api-keys').set({ Authorization: `Bearer ${k.childKey.key}` }).expect(401);
    await t.http.post('/v1/events').set({ Authorization: `Bearer ${k.ingestKey.key}` }).send(event()).expect(200);
    // The owner's own signup key is untouched.
    await t.http.get('/v1/api-keys').set(org.keyAuth).expect(200);
  });

  it('demoting an admin to engineer revokes their admin keys too; promoting someone else to admin revokes nothing', async () => {
    const org = await createOrg(t);
    const k = await adminWithKeys(org);
    const other = await adminWithKeys(org);
    await t.http.patch(`/v1/members/${k.admin.id}`).set(org.auth).send({ role: 'engineer' }).expect(200);
    await t.http.patch(`/v1/members/${other.admin.id}`).set(org.auth).send({ role: 'owner' }).expect(200);
    await t.http.get('/v1/api-keys').set({ Authorization: `Bearer ${k.adminKey.key}` }).expect(401);
    await t.http.post('/v1/events').set({ Authorization: `Bearer ${k.ingestKey.key}` }).send(event()).expect(200);
    await t.http.get('/v1/api-keys').set({ Authorization: `Bearer ${other.adminKey.key}` }).expect(200);
    await t.http.get('/v1/api-keys').set({ Authorization: `Bearer ${other.childKey.key}` }).expect(200);
  });
});
