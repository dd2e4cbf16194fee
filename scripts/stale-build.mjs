// Whether dist/ is behind what it is built from. scripts/run.mjs asks before the test commands (and builds when
// it is), and test/support/processes.ts before a test starts `node dist/main.js`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ENTRY = 'dist/main.js';

/** Why dist/ cannot be used as is (missing, or older than a file it is built from), or null when it is current. */
export function staleBuild(root = process.cwd()) {
  const entry = path.join(root, ENTRY);
  if (!existsSync(entry)) return `${ENTRY} is missing`;
  const built = statSync(entry).mtimeMs;
  const newer = (p) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) {
        const found = newer(path.join(p, name));
        if (found) return found;
      }
      return null;
    }
    // Specs are not part of the build; src/generated/openapi.ts is its output (written after dist/main.js).
    if (p.endsWith('.spec.ts') || p.endsWith(path.join('generated', 'openapi.ts'))) return null;
    return st.mtimeMs > built ? path.relative(root, p) : null;
  };
  const found = newer(path.join(root, 'src')) ?? ['tsconfig.json', 'tsconfig.build.json', 'tsconfig.clients.json', 'scripts/openapi.mjs', 'package-lock.json'].find((f) => statSync(path.join(root, f)).mtimeMs > built);
  return found ? `${found} is newer than ${ENTRY}` : null;
}
