import pg from 'pg';
import { bootApp, type TestApp } from '../support/app.js';
import { TEST_DATABASE_URL } from '../support/env.js';
import { createOrg } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

describe('account takeover through unverified emails', () => {
  it('whoever registered an email first does not get the org that invites it: nothing is attached, and accepting needs the token and that account\'s password', async () => {
    // The attacker signs up first with the victim's address (emails are not verified).
    const attacker = await createOrg(t, 'Attacker');
    const victimOrg = await createOrg(t, 'Victim');
    const invited = await t.http.post('/v1/members').set(victimOrg.auth).send({ email: attacker.email, role: 'admin' }).expect(201);
    // The same answer shape whether or not an account exists: no temporary password, no member yet.
    expect(Object.keys(invited.body).sort()).toEqual(['accept', 'invitation', 'token']);
    const members = (await t.http.get('/v1/members').set(victimOrg.auth).expect(200)).body.data as { email: string }[];
    expect(members.map((m) => m.email)).toEqual([victimOrg.email]);
    const login = await t.http.post('/v1/login').send({ email: attacker.email, password: attacker.password }).expect(200);
    expect(login.body.organizations).toEqual([{ orgId: attacker.orgId, role: 'owner' }]);
    // Someone holding the token but not the account's password cannot use it.
    await t.http.post('/v1/invitations/accept').send({ token: invited.body.token, password: 'a different password' }).expect(401);
  });

  it('a token works once, not after revocation, not after expiry, and a guessed token is a 404', async () => {
    const org = await createOrg(t);
    const once = await t.http.post('/v1/members').set(org.auth).send({ email: 'once@example.test', role: 'viewer' }).expect(201);
    await t.http.post('/v1/invitations/accept').send({ token: once.body.token, password: 'first-password-123' }).expect(200);
    await t.http.post('/v1/invitations/accept').send({ token: once.body.token, password: 'first-password-123' }).expect(404);

    const revoked = await t.http.post('/v1/members').set(org.auth).send({ email: 'revoked@example.test', role: 'viewer' }).expect(201);
    expect((await t.http.get('/v1/members/invitations').set(org.auth).expect(200)).body.data.map((i: { email: string }) => i.email)).toEqual(['revoked@example.test']);
    await t.http.delete(`/v1/members/invitations/${revoked.body.invitation.id}`).set(org.auth).expect(204);
    await t.http.post('/v1/invitations/accept').send({ token: revoked.body.token, password: 'some-password-123' }).expect(404);

    const expired = await t.http.post('/v1/members').set(org.auth).send({ email: 'late@example.test', role: 'viewer' }).expect(201);
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    await db.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.body.invitation.id]).finally(() => db.end());
    await t.http.post('/v1/invitations/accept').send({ token: expired.body.token, password: 'some-password-123' }).expect(404);

    await t.http.post('/v1/invitations/accept').send({ token: 'cxinv_guessed-token-value', password: 'some-password-123' }).expect(404);
  });
});

describe('password change', () => {
  it('needs the current password; afterwards the old access token and the old password stop working', async () => {
    const org = await createOrg(t);
    await t.http.post('/v1/me/password').set(org.auth).send({ currentPassword: 'wrong-password-1', newPassword: 'a-new-password-456' }).expect(401);
    // Tokens carry whole seconds: wait for the next second so the old token is strictly older than the change.
    await new Promise((r) => setTimeout(r, 1100));
    const changed = await t.http.post('/v1/me/password').set(org.auth).send({ currentPassword: org.password, newPassword: 'a-new-password-456' }).expect(200);
    await t.http.get('/v1/members').set(org.auth).expect(401);
    await t.http.get('/v1/members').set({ Authorization: `Bearer ${changed.body.accessToken}` }).expect(200);
    await t.http.post('/v1/login').send({ email: org.email, password: org.password }).expect(401);
    await t.http.post('/v1/login').send({ email: org.email, password: 'a-new-password-456' }).expect(200);
  });

  it('an API key cannot change a password', async () => {
    const org = await createOrg(t);
    await t.http.post('/v1/me/password').set(org.keyAuth).send({ currentPassword: org.password, newPassword: 'a-new-password-456' }).expect(403);
  });
});
