import { bootApp, type TestApp } from '../support/app.js';
import { createMember, createOrg } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp({ RATE_LIMIT_PER_MINUTE: '10000', RATE_LIMIT_IP_PER_MINUTE: '100000' });
});
afterAll(async () => t.close());

describe('an organisation always keeps an owner, even under concurrent changes', () => {
  it('two owners demoting each other at the same moment: one succeeds, the other gets 409, one owner remains (8 orgs in parallel)', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const org = await createOrg(t);
        const second = await createMember(t, org, 'owner');
        const members = (await t.http.get('/v1/members').set(org.auth).expect(200)).body.data as { id: string; email: string; role: string }[];
        const first = members.find((m) => m.email === org.email)!;
        // Each owner demotes the other at once.
        const [a, b] = await Promise.all([
          t.http.patch(`/v1/members/${second.id}`).set(org.auth).send({ role: 'admin' }),
          t.http.patch(`/v1/members/${first.id}`).set(second.auth).send({ role: 'admin' }),
        ]);
        const after = (await t.http.get('/v1/members').set(org.auth).expect(200)).body.data as { role: string }[];
        return { statuses: [a.status, b.status].sort(), owners: after.filter((m) => m.role === 'owner').length };
      }),
    );
    // The loser gets 409 (last owner) or, if the winner committed before it authenticated, 403 (no longer an owner).
    for (const r of results) {
      expect(r.owners).toBe(1);
      expect(r.statuses[0]).toBe(200);
      expect([403, 409]).toContain(r.statuses[1]);
    }
  });

  it('two owners removing each other at once: one 204, one 409', async () => {
    const org = await createOrg(t);
    const second = await createMember(t, org, 'owner');
    const members = (await t.http.get('/v1/members').set(org.auth).expect(200)).body.data as { id: string; email: string }[];
    const first = members.find((m) => m.email === org.email)!;
    const [a, b] = await Promise.all([t.http.delete(`/v1/members/${second.id}`).set(org.auth), t.http.delete(`/v1/members/${first.id}`).set(second.auth)]);
    expect([a.status, b.status].sort()[0]).toBe(204);
    expect([403, 404, 409]).toContain([a.status, b.status].sort()[1]);
    const after = (await t.http.get('/v1/members').set(a.status === 204 ? org.auth : second.auth).expect(200)).body.data as { role: string }[];
    expect(after.filter((m) => m.role === 'owner')).toHaveLength(1);
  });
});
