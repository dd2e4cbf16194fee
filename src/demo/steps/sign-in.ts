import { errorText, type ApiClient } from '../api-client.js';

export const DEMO_EMAIL = 'demo@crossover.test';
export const DEMO_PASSWORD = 'crossover-demo-password';

/**
 * Signs in as the demo user (signing the organisation up on the first run)
 * and creates a fresh admin API key, which the rest of the demo uses and
 * prints for the reader to try.
 */
export async function signInWithNewKey(api: ApiClient): Promise<{ key: string; orgId: string }> {
  const credentials = { email: DEMO_EMAIL, password: DEMO_PASSWORD };
  let login = await api.POST('/v1/login', { body: credentials });
  if (login.response.status === 401) {
    const signup = await api.POST('/v1/signup', { body: { orgName: 'Demo Co', ...credentials } });
    if (signup.error !== undefined) throw new Error(`demo signup failed: ${errorText(signup)}`);
    login = await api.POST('/v1/login', { body: credentials });
  }
  if (!login.data) throw new Error(`demo login failed: ${errorText(login)}`);
  const user = api.withToken(login.data.accessToken);
  const created = await user.POST('/v1/api-keys', { body: { name: `demo key ${new Date().toISOString()}`, scopes: ['admin'] } });
  if (!created.data) throw new Error(`demo API key failed: ${errorText(created)}`);
  return { key: created.data.key, orgId: login.data.orgId };
}
