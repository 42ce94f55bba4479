// npm pack hooks: the package ships npm-shrinkwrap.json, a copy of package-lock.json, so an
// install of the package (npm i -g, npm ci in a release tree of the Action) gets exactly the
// dependency versions this repository tested, not whatever a range resolves to that day.
//   prepack:  node scripts/shrinkwrap.mjs         (writes npm-shrinkwrap.json)
//   postpack: node scripts/shrinkwrap.mjs --clean (removes it; it is generated, never committed)
import { copyFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const target = join(root, 'npm-shrinkwrap.json');
if (process.argv.includes('--clean')) rmSync(target, { force: true });
else copyFileSync(join(root, 'package-lock.json'), target);
