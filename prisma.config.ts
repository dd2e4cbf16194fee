// Prisma CLI configuration. The CLI runs its WebAssembly schema engine through
// the pg driver adapter, so no native engine is ever downloaded (see README,
// "Offline toolchain"). This file is read by the CLI only, never by the app.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Any existing file: makes schema-validation errors surface as themselves
// instead of as a failed engine download (ENOTFOUND binaries.prisma.sh).
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= path.resolve('package.json');
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve('package.json');
process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/crossover';

// Workaround for prisma/orm issue 27403 (open at the time of writing): the
// WebAssembly schema engine cannot deserialise Postgres catalog types (name,
// "char", oid, regproc, ...) that the pg adapter has no mapping for. Results
// of those types are reported as text (25) and their arrays as text[] (1009).
// Delete this class when the issue is fixed.
const CATALOG_TYPES = new Set([18, 19, 22, 24, 28, 29, 30, 194, 1033, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096]);
const CATALOG_ARRAY_TYPES = new Set([1002, 1003, 1010, 1011, 1012, 1013, 1028, 1034, 2207, 2208, 2209, 2210, 2211, 3735, 3770, 4090, 4097]);
let patched = false;

function patchPerformIO(adapter: object): void {
  if (patched) return;
  let proto: any = Object.getPrototypeOf(adapter);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'performIO')) proto = Object.getPrototypeOf(proto);
  if (!proto) return;
  const original = proto.performIO;
  proto.performIO = async function (this: unknown, query: unknown) {
    const result = await original.call(this, query);
    for (const field of result.fields ?? []) {
      if (CATALOG_TYPES.has(field.dataTypeID)) field.dataTypeID = 25;
      else if (CATALOG_ARRAY_TYPES.has(field.dataTypeID)) field.dataTypeID = 1009;
    }
    return result;
  };
  patched = true;
}

// The adapter's executeScript splits a migration on every ';', which breaks
// function bodies and DO blocks. Postgres runs a multi-statement script sent
// as one simple query, atomically (an implicit transaction), so send it whole.
function patchExecuteScript(adapter: any): void {
  const proto = Object.getPrototypeOf(adapter);
  if (proto.__wholeScript) return;
  proto.executeScript = async function (this: any, script: string) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  proto.__wholeScript = true;
}

class CatalogSafePrismaPg extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    patchPerformIO(adapter);
    patchExecuteScript(adapter);
    return adapter;
  }
  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    patchPerformIO(adapter);
    patchExecuteScript(adapter);
    return adapter;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations'), seed: 'node dist/demo/main.js' },
  adapter: async () => new CatalogSafePrismaPg({ connectionString: process.env.DATABASE_URL! }),
});
