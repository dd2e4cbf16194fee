#!/usr/bin/env node
// @ts-check
// What row-level security costs a tenant query: the same indexed read
// (1) as the table owner with only the org filter (RLS bypassed), and
// (2) the way the app runs it: role crossover_app, BEGIN, set_config('app.org_id'),
//     the read (RLS policy + org filter), COMMIT.
// Prints per-query latency and the ratio. Needs a migrated database (DATABASE_URL,
// default: the demo's) with at least one organisation; creates nothing.
import pg from 'pg';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/crossover';
const N = Number(process.env.N ?? 2000);

const owner = new pg.Client({ connectionString: url });
const app = new pg.Client({ connectionString: url, options: '-c role=crossover_app' });
await owner.connect();
await app.connect();
const org = (await owner.query('SELECT id FROM organizations ORDER BY created_at LIMIT 1')).rows[0]?.id;
if (!org) {
  console.error('no organisation in this database: run npm run demo first (or set DATABASE_URL)');
  process.exit(1);
}
// A scan of a few thousand rows (policy checked per row) and a point read.
const QUERIES = {
  'scan: count(*) of the org\'s daily rollups': 'SELECT count(*) FROM usage_rollups_daily WHERE org_id = $1',
  'point read: the organisation row': 'SELECT id, name FROM organizations WHERE id = $1',
};

async function time(label, fn) {
  for (let i = 0; i < 200; i++) await fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / N;
  console.log(`${label.padEnd(58)} ${us.toFixed(0).padStart(6)} µs/query`);
  return us;
}

for (const [name, SQL] of Object.entries(QUERIES)) {
  console.log(`\n${name}`);
  const plain = await time('  owner, org filter only (no RLS, no transaction)', () => owner.query(SQL, [org]));
  const rlsOnly = await time('  app role, RLS, set_config in the same transaction', async () => {
    await app.query('BEGIN');
    await app.query(`SELECT set_config('app.org_id', $1, true)`, [org]);
    await app.query(SQL, [org]);
    await app.query('COMMIT');
  });
  const ownerTx = await time('  owner, the same transaction shape without RLS', async () => {
    await owner.query('BEGIN');
    await owner.query(`SELECT set_config('app.org_id', $1, true)`, [org]);
    await owner.query(SQL, [org]);
    await owner.query('COMMIT');
  });
  console.log(`  RLS itself (policy evaluation): ${(rlsOnly - ownerTx).toFixed(0)} µs/query (${((rlsOnly / ownerTx - 1) * 100).toFixed(1)}%)`);
  console.log(`  the transaction + set_config round trips: ${(ownerTx - plain).toFixed(0)} µs/query (x${(ownerTx / plain).toFixed(2)} a bare query)`);
}
await owner.end();
await app.end();
