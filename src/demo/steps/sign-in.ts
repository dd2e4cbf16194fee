import { errorText, type ApiClient } from '../api-client.js';

export const DEMO_EMAIL = 'demo@crossover.test';
export const DEMO_PASSWORD = 'crossover-demo-password';

/**
 * Signs in as the demo user (signing the organisation up on the first run)
 * and creates a fresh admin API key, which the rest of the demo uses and
 * prints for the reader to try.
 */
export async function signInWithNewKey(api: ApiClient): Promise<{ key: string; orgId: string }> {
  let login = await api.call('POST', '/v1/login', { email: DEMO_EMAIL, password: DEMO_PASSWORD });
  if (login.status === 401) {
    const signup = await api.call('POST', '/v1/signup', { orgName: 'Demo Co', email: DEMO_EMAIL, password: DEMO_PASSWORD });
    if (signup.status !== 201) throw new Error(`demo signup failed: ${JSON.stringify(signup.body)}`);
    login = await api.call('POST', '/v1/login', { email: DEMO_EMAIL, password: DEMO_PASSWORD });
  }
  if (login.status !== 200) throw new Error(`demo login failed: ${JSON.stringify(login.body)}`);
  const user = api.withToken(login.body.accessToken as string);
  const created = await user.call('POST', '/v1/api-keys', { name: `demo key ${new Date().toISOString()}`, scopes: ['admin'] });
  if (created.status !== 201 && created.status !== 200) throw new Error(`demo API key failed: ${errorText(created)}`);
  return { key: created.body.key as string, orgId: login.body.orgId as string };
}
