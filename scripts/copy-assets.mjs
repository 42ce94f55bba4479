// Copies rule READMEs and shipped data next to the compiled code so that
// `pipewarden rules ID` and SARIF help text work from an installed package.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

function copyMatching(srcDir, outDir, match) {
  for (const name of readdirSync(srcDir)) {
    const from = join(srcDir, name);
    const to = join(outDir, name);
    if (statSync(from).isDirectory()) copyMatching(from, to, match);
    else if (match(name)) {
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
    }
  }
}

copyMatching('src', 'dist', (name) => name === 'README.md' || name.endsWith('.json'));

// The dashboard of `pipewarden serve` (src/serve/dashboard.ts reads these next to itself).
copyMatching('src/serve/dashboard', 'dist/serve/dashboard', (name) => /\.(html|js|css)$/.test(name));
