import { bootApp, type TestApp } from './support/app.js';
import { createOrg } from './support/factories.js';

/*
 * GET /v1/catalog/gpus: the normalised GPU catalog (USD per GPU-hour as
 * decimal strings), every figure with its sources resolved.
 */

let t: TestApp;
beforeAll(async () => {
  t = await bootApp();
});
afterAll(async () => t.close());

interface Tier {
  usdPerGpuHour: string;
  basis: string;
  sourceIds: string[];
  asOf: string;
  offerCount: number;
}
interface Gpu {
  id: string;
  interconnect: string;
  fp8: string;
  fp8TFLOPS: number | null;
  prices: Record<string, Tier | null>;
  priceGaps: Record<string, string>;
  offers: { provider: string; sku: string; gpusPerInstance: number; usdPerGpuHour: string; sourceId: string; stale: boolean }[];
  sources: { id: string; url: string | null; date: string | null }[];
}

describe('GET /v1/catalog/gpus', () => {
  let body: { asOf: string; marketWindow: { from: string; to: string; months: number }; data: Gpu[]; nextCursor: string | null };
  const gpu = (id: string) => body.data.find((g) => g.id === id) as Gpu;

  beforeAll(async () => {
    const org = await createOrg(t);
    body = (await t.http.get('/v1/catalog/gpus').set(org.keyAuth).expect(200)).body;
  });

  it('7 GPUs, catalog as of 2026-12-01 with an 18-month market window from 2025-06-01', () => {
    expect(body.data.map((g) => g.id).sort()).toEqual(['A100-40GB', 'A100-80GB-SXM', 'A10G-24GB', 'H100-80GB-SXM', 'H200-141GB-SXM', 'L4-24GB', 'L40S-48GB']);
    expect(body).toMatchObject({ asOf: '2026-12-01', marketWindow: { from: '2025-06-01', to: '2026-12-01', months: 18 } });
  });

  it('no raw reference keys (hourlyUSD, spotInstance_useast1, onDemandInstance, gpuComponentPerGPU) anywhere in the answer', () => {
    const text = JSON.stringify(body);
    for (const key of ['hourlyUSD', 'spotInstance_useast1', 'onDemandInstance', 'gpuComponentPerGPU', 'effectivePerGPU', 'reserved1y']) expect(text).not.toContain(`"${key}"`);
  });

  it('H100: nvlink, native fp8 (1,979 dense TFLOPS), market on-demand "3.84" = (3.78 + 3.90) / 2 of 12 dated offers, money as strings', () => {
    const h = gpu('H100-80GB-SXM');
    expect(h).toMatchObject({ interconnect: 'nvlink', fp8: 'native', fp8TFLOPS: 1979 });
    expect(h.prices.marketOnDemand).toMatchObject({ usdPerGpuHour: '3.84', offerCount: 12, asOf: '2026-06-30' });
    // committed 1 year: 3.84 x (1 - 0.35) = 2.496
    expect(h.prices.committed1y?.usdPerGpuHour).toBe('2.496');
    expect(Object.keys(h.prices).sort()).toEqual(['committed1y', 'hyperscalerOnDemand', 'marketOnDemand', 'spot']);
  });

  it('every source id cited by a GPU resolves to a URL in its sources list (techbytes_2026 dated 2026-05-07)', () => {
    for (const g of body.data) {
      const listed = new Set(g.sources.map((s) => s.id));
      const cited = [...Object.values(g.prices).flatMap((p) => p?.sourceIds ?? []), ...g.offers.map((o) => o.sourceId)];
      expect(cited.filter((id) => !listed.has(id))).toEqual([]);
      expect(g.sources.filter((s) => s.url === null)).toEqual([]);
    }
    expect(gpu('H100-80GB-SXM').sources).toContainEqual({ id: 'techbytes_2026', url: 'https://techbytes.app/posts/serverless-gpu-pricing-matrix-modal-replicate-lambda-2026/', date: '2026-05-07' });
  });

  it('A10G: pcie, fp8 weight-only, the 4-GPU g5.12xlarge offer at $5.672 / 4 = "1.418" per GPU, spot null with a reason', () => {
    const a = gpu('A10G-24GB');
    expect(a).toMatchObject({ interconnect: 'pcie', fp8: 'weight-only', fp8TFLOPS: null });
    expect(a.offers.find((o) => o.sku.startsWith('g5.12xlarge'))).toMatchObject({ gpusPerInstance: 4, usdPerGpuHour: '1.418', stale: true });
    expect(a.prices.spot).toBeNull();
    expect(a.priceGaps.spot).toMatch(/no sourced spot offer/);
  });

  it('whole without limit (nextCursor null); limit=3 pages the same 7 GPUs in order', async () => {
    expect(body.nextCursor).toBeNull();
    const org = await createOrg(t);
    const first = (await t.http.get('/v1/catalog/gpus?limit=3').set(org.keyAuth).expect(200)).body;
    const second = (await t.http.get('/v1/catalog/gpus').query({ limit: 3, cursor: first.nextCursor }).set(org.keyAuth).expect(200)).body;
    const third = (await t.http.get('/v1/catalog/gpus').query({ limit: 3, cursor: second.nextCursor }).set(org.keyAuth).expect(200)).body;
    expect(third.nextCursor).toBeNull();
    expect([...first.data, ...second.data, ...third.data].map((g: { id: string }) => g.id)).toEqual(body.data.map((g: { id: string }) => g.id));
    expect(first).toMatchObject({ asOf: body.asOf, marketWindow: body.marketWindow });
  });

  it('needs a credential: 401 without one', async () => {
    await t.http.get('/v1/catalog/gpus').expect(401);
  });

  it('OpenAPI documents the response (GpuCatalogDto with per-tier prices)', async () => {
    const doc = (await t.http.get('/docs/json').expect(200)).body;
    const op = doc.paths['/v1/catalog/gpus'].get;
    expect(JSON.stringify(op.responses['200'])).toContain('GpuCatalogDto');
    expect(Object.keys(doc.components.schemas.GpuPricesDto.properties).sort()).toEqual(['committed1y', 'hyperscalerOnDemand', 'marketOnDemand', 'spot']);
  });
});
