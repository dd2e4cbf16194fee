import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Public } from '../common/decorators.js';
import { NotFoundError } from '../common/errors.js';

/** The page's own files: next to this module in source (ts-jest) and in dist (copied by `npm run build`). */
const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');
/** The page's view modules, served under /app/views/. */
const VIEWS_DIR = join(PUBLIC_DIR, 'views');

const require = createRequire(import.meta.url);
/** Third-party browser bundles served under /app/vendor/, resolved from node_modules (never a CDN). */
const VENDOR: Record<string, () => string> = {
  'uplot.js': () => require.resolve('uplot/dist/uPlot.iife.min.js'),
  'uplot.css': () => require.resolve('uplot/dist/uPlot.min.css'),
  // The typed API client's ESM build (no imports of its own), loaded by api.js as ./vendor/openapi-fetch.js.
  // Resolved from the package root: its export map points require() at the CommonJS build.
  'openapi-fetch.js': () => join(dirname(require.resolve('openapi-fetch/package.json')), 'dist', 'index.mjs'),
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // openapi-fetch's ESM build (index.mjs): a module script is refused unless served as JavaScript.
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/** A plain file name: no slashes, no leading dot, a known extension. Anything else is 404 (no traversal). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(html|js|css|svg|png|ico|json)$/;

/** `file` inside `dir` (PUBLIC_DIR or one of its subfolders), or a 404 for any name that could leave it. */
function publicFile(dir: string, file: string): string {
  if (!SAFE_NAME.test(file)) throw new NotFoundError(`No dashboard asset ${JSON.stringify(file)}`);
  const path = resolve(dir, file);
  // Belt and braces: the name pattern already excludes separators and dots-only names.
  if (!path.startsWith(dir + sep)) throw new NotFoundError(`No dashboard asset ${JSON.stringify(file)}`);
  return path;
}

/**
 * The page may talk to this origin only; it loads no third-party code.
 * 'unsafe-inline' for styles: uPlot sets inline styles on its elements.
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * The dashboard at /app: static HTML/JS/CSS that signs in and reads
 * everything through the public /v1 API with a bearer token (no server-side
 * session, no private routes). Files are read from disk and kept in memory
 * until they change on disk (a stat per request).
 */
@ApiExcludeController()
@Public()
@Controller('app')
export class DashboardController {
  private readonly cache = new Map<string, { version: string; asset: Asset }>();

  @Get()
  index(@Headers('if-none-match') inm: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(join(PUBLIC_DIR, 'index.html'), inm, reply);
  }

  @Get('vendor/:file')
  vendor(@Param('file') file: string, @Headers('if-none-match') inm: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const locate = Object.hasOwn(VENDOR, file) ? VENDOR[file] : undefined;
    if (!locate) throw new NotFoundError(`No dashboard asset ${JSON.stringify(file)}`);
    return this.send(locate(), inm, reply);
  }

  /** The page's view modules (public/views/), imported by app.js; one level deep, same rules as the top level. */
  @Get('views/:file')
  viewModule(@Param('file') file: string, @Headers('if-none-match') inm: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(publicFile(VIEWS_DIR, file), inm, reply);
  }

  @Get(':file')
  asset(@Param('file') file: string, @Headers('if-none-match') inm: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.send(publicFile(PUBLIC_DIR, file), inm, reply);
  }

  private async send(path: string, ifNoneMatch: string | undefined, reply: FastifyReply): Promise<Buffer | string> {
    const asset = await this.load(path);
    reply
      .header('content-type', asset.type)
      .header('etag', asset.etag)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    if (asset.type.startsWith('text/html')) reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY');
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === asset.etag)) {
      reply.status(304);
      return '';
    }
    return asset.body;
  }

  private async load(path: string): Promise<Asset> {
    let version: string;
    try {
      const st = await stat(path);
      if (!st.isFile()) throw new NotFoundError('No such dashboard asset');
      version = `${st.mtimeMs}:${st.size}`;
    } catch (err) {
      if (err instanceof NotFoundError || (err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError('No such dashboard asset');
      throw err;
    }
    const cached = this.cache.get(path);
    if (cached?.version === version) return cached.asset;
    const body = await readFile(path);
    const asset: Asset = {
      body,
      type: CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    };
    this.cache.set(path, { version, asset });
    return asset;
  }
}
