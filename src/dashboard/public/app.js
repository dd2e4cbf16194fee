// @ts-check
// Crossover dashboard: a small single-page app over the public /v1 API.
// Routes (hash): #/ overview · #/roadmap overview scrolled to the roadmap · #/workloads/<slug> one workload ·
// #/customers cost per customer and unit economics · #/reconciliation metered vs billed.
// This entry owns the session chrome and the router; each page is a module in views/.
import { session, whenUnauthenticated } from './api.js';
import { renderCustomers } from './views/customers.js';
import { renderLogin } from './views/login.js';
import { renderOverview } from './views/overview.js';
import { renderReconciliation } from './views/reconciliation.js';
import { renderWorkload } from './views/workload.js';

const EXPIRED = 'Your session expired. Please sign in again.';

/** Shown once on the sign-in form; lives here because expiry is noticed by the router, not the form. */
let signInNotice = '';

/** An element of index.html's fixed chrome (always present). */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

function updateChrome() {
  const s = session.get();
  byId('nav').hidden = !s;
  byId('who').hidden = !s;
  byId('who-email').textContent = s?.email ?? '';
  byId('who-role').textContent = s?.role ?? '';
  const hash = location.hash || '#/';
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === hash || (hash.startsWith('#/workloads/') && a.getAttribute('href') === '#/roadmap'));
}

function route() {
  const s = session.get();
  if (s && s.expiresAt && s.expiresAt < Date.now()) {
    session.clear();
    signInNotice = EXPIRED;
  }
  updateChrome();
  if (!session.get()) return renderLogin({ notice: signInNotice, onSignedIn });
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const wl = /^\/workloads\/(.+)$/.exec(hash);
  if (wl) return renderWorkload(wl[1]);
  if (hash === '/reconciliation') return renderReconciliation();
  if (hash === '/customers') return renderCustomers();
  return renderOverview(hash === '/roadmap' ? 'roadmap' : null);
}

function onSignedIn() {
  signInNotice = '';
  if (!location.hash || location.hash === '#') location.hash = '#/';
  route();
}

whenUnauthenticated(() => {
  session.clear();
  signInNotice = EXPIRED;
  route();
});

byId('sign-out').addEventListener('click', () => {
  session.clear();
  signInNotice = '';
  location.hash = '#/';
  route();
});
window.addEventListener('hashchange', route);

function start() {
  if (!globalThis.uPlot) {
    // The chart bundle is a deferred classic script: it runs before this module, but be safe.
    window.addEventListener('load', route, { once: true });
    return;
  }
  route();
}
start();
