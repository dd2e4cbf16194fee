import { bootApp, type TestApp } from '../support/app.js';
import { createOrg } from '../support/factories.js';

/**
 * "Signup and member creation reveal whether an email exists": signup of a registered email answered 409
 * "already exists". Now it answers exactly like a failed sign-in, and is throttled like one; with the
 * account's own password it creates the new organisation for that account.
 */
let t: TestApp;
beforeAll(async () => {
  t = await bootApp({ LOGIN_MAX_FAILURES: '3' });
});
afterAll(async () => t.close());

const strip = (body: { error: { code: string; message: string } }) => ({ code: body.error.code, message: body.error.message });

describe('Signup does not reveal registered emails', () => {
  it('a registered email with another password gets the same 401 as a failed login, never "exists"', async () => {
    const org = await createOrg(t);
    const signup = await t.http.post('/v1/signup').send({ orgName: 'Probe', email: org.email.toUpperCase(), password: 'some other password' });
    expect(signup.status).toBe(401);
    expect(JSON.stringify(signup.body)).not.toMatch(/exist|already|registered|unique/i);
    const login = await t.http.post('/v1/login').send({ email: 'nobody-at-all@example.test', password: 'some other password' }).expect(401);
    expect(strip(signup.body)).toEqual(strip(login.body));
  });

  it('failed signups count as failed sign-ins: after the limit, even the right password waits (429)', async () => {
    const org = await createOrg(t);
    for (let i = 0; i < 3; i++) await t.http.post('/v1/signup').send({ orgName: 'Probe', email: org.email, password: `guess number ${i}` }).expect(401);
    const throttled = await t.http.post('/v1/login').send({ email: org.email, password: org.password }).expect(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("with the account's own password, signup creates a second organisation owned by the same person", async () => {
    const org = await createOrg(t);
    const second = await t.http.post('/v1/signup').send({ orgName: 'Second', email: org.email, password: org.password }).expect(201);
    expect(second.body.org.id).not.toBe(org.orgId);
    expect(second.body.user.role).toBe('owner');
    const login = await t.http.post('/v1/login').send({ email: org.email, password: org.password }).expect(200);
    expect(login.body.organizations.map((o: { orgId: string }) => o.orgId).sort()).toEqual([org.orgId, second.body.org.id].sort());
    // The old password still signs in to both: no second account was made.
    await t.http.post('/v1/login').send({ email: org.email, password: org.password, orgId: second.body.org.id }).expect(200);
  });
});
