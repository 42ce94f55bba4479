// Generates a monorepo for the deps benchmark: 50 lockfiles of every format (20,000 package
// entries in all) plus an OSV folder shaped like the real exports (many advisories per popular
// package, MAL- records, withdrawn ones, aliases), so `deps db import` builds a realistic database.
// Usage: node bench/gen-deps-corpus.mjs [out=bench/corpus/deps] [lockfiles=50] [packages=20000] [advisories=60000]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? 'bench/corpus/deps';
const LOCKFILES = Number(process.argv[3] ?? 50);
const PACKAGES = Number(process.argv[4] ?? 20000);
const ADVISORIES = Number(process.argv[5] ?? 60000);
// mulberry32: the low bits of a plain LCG repeat too soon for `% n`.
let seed = 42;
const rnd = (n) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) % n);
};
const ver = () => `${rnd(12)}.${rnd(30)}.${rnd(40)}`;

rmSync(out, { recursive: true, force: true });
const repo = join(out, 'repo');
const osv = join(out, 'osv');
mkdirSync(osv, { recursive: true });

const formats = [
  ['package-lock.json', 'npm'], ['yarn.lock', 'npm'], ['pnpm-lock.yaml', 'npm'], ['bun.lock', 'npm'],
  ['requirements.txt', 'PyPI'], ['poetry.lock', 'PyPI'], ['uv.lock', 'PyPI'], ['Pipfile.lock', 'PyPI'],
  ['go.mod', 'Go'], ['Cargo.lock', 'crates.io'], ['Gemfile.lock', 'RubyGems'], ['composer.lock', 'Packagist'],
  ['packages.lock.json', 'NuGet'], ['pom.xml', 'Maven'], ['gradle.lockfile', 'Maven'],
];
const nameOf = (eco, i) => ({ npm: `pkg-${i}`, PyPI: `py-pkg-${i}`, Go: `example.com/mod${i}`, 'crates.io': `crate_${i}`, RubyGems: `gem-${i}`, Packagist: `vendor/pkg-${i}`, NuGet: `Pkg.N${i}`, Maven: `org.example:art-${i}` })[eco];

function render(file, pkgs) {
  switch (file) {
    case 'package-lock.json':
      return JSON.stringify({ name: 'x', lockfileVersion: 3, requires: true, packages: Object.fromEntries([['', { name: 'x' }], ...pkgs.map(([n, v]) => [`node_modules/${n}`, { version: v, resolved: `https://registry.npmjs.org/${n}/-/${n}-${v}.tgz`, integrity: 'sha512-AAAA' }])]) }, null, 2);
    case 'yarn.lock':
      return `# yarn lockfile v1\n\n${pkgs.map(([n, v]) => `"${n}@^${v}":\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/${n}/-/${n}-${v}.tgz#abc"\n  integrity sha512-AAAA\n`).join('\n')}`;
    case 'pnpm-lock.yaml':
      return `lockfileVersion: '9.0'\n\npackages:\n\n${pkgs.map(([n, v]) => `  ${n}@${v}:\n    resolution: {integrity: sha512-AAAA}\n`).join('\n')}`;
    case 'bun.lock':
      return `{\n  "lockfileVersion": 1,\n  "packages": {\n${pkgs.map(([n, v]) => `    "${n}": ["${n}@${v}", "", {}, "sha512-AAAA"],`).join('\n')}\n  },\n}\n`;
    case 'requirements.txt':
      return pkgs.map(([n, v]) => `${n}==${v} \\\n    --hash=sha256:abcd`).join('\n') + '\n';
    case 'poetry.lock':
      return `${pkgs.map(([n, v]) => `[[package]]\nname = "${n}"\nversion = "${v}"\ndescription = "x"\noptional = false\npython-versions = "*"\nfiles = [\n    {file = "${n}-${v}.whl", hash = "sha256:abcd"},\n]\n`).join('\n')}\n[metadata]\nlock-version = "2.0"\n`;
    case 'uv.lock':
      return `version = 1\n\n${pkgs.map(([n, v]) => `[[package]]\nname = "${n}"\nversion = "${v}"\nsource = { registry = "https://pypi.org/simple" }\n`).join('\n')}`;
    case 'Pipfile.lock':
      return JSON.stringify({ _meta: { hash: { sha256: 'x' } }, default: Object.fromEntries(pkgs.map(([n, v]) => [n, { version: `==${v}`, hashes: ['sha256:abcd'] }])), develop: {} }, null, 4);
    case 'go.mod':
      return `module example.com/app\n\ngo 1.22\n\nrequire (\n${pkgs.map(([n, v]) => `\t${n} v${v}`).join('\n')}\n)\n`;
    case 'Cargo.lock':
      return `version = 3\n\n${pkgs.map(([n, v]) => `[[package]]\nname = "${n}"\nversion = "${v}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "abcd"\n`).join('\n')}`;
    case 'Gemfile.lock':
      return `GEM\n  remote: https://rubygems.org/\n  specs:\n${pkgs.map(([n, v]) => `    ${n} (${v})`).join('\n')}\n\nPLATFORMS\n  ruby\n\nBUNDLED WITH\n   2.4.0\n`;
    case 'composer.lock':
      return JSON.stringify({ 'content-hash': 'x', packages: pkgs.map(([n, v]) => ({ name: n, version: v })), 'packages-dev': [] }, null, 4);
    case 'packages.lock.json':
      return JSON.stringify({ version: 1, dependencies: { 'net8.0': Object.fromEntries(pkgs.map(([n, v]) => [n, { type: 'Transitive', resolved: v, contentHash: 'x' }])) } }, null, 2);
    case 'pom.xml':
      return `<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>org.example</groupId><artifactId>app</artifactId><version>1.0</version>\n  <dependencies>\n${pkgs.map(([n, v]) => `    <dependency>\n      <groupId>${n.split(':')[0]}</groupId>\n      <artifactId>${n.split(':')[1]}</artifactId>\n      <version>${v}</version>\n    </dependency>`).join('\n')}\n  </dependencies>\n</project>\n`;
    case 'gradle.lockfile':
      return pkgs.map(([n, v]) => `${n}:${v}=compileClasspath,runtimeClasspath`).join('\n') + '\nempty=\n';
  }
}

const perFile = Math.floor(PACKAGES / LOCKFILES);
const used = new Map(); // eco → names
for (let f = 0; f < LOCKFILES; f++) {
  const [file, eco] = formats[f % formats.length];
  const pkgs = [];
  for (let i = 0; i < perFile; i++) {
    const idx = rnd(20000);
    pkgs.push([nameOf(eco, idx), ver()]);
  }
  const uniq = [...new Map(pkgs.map((p) => [p[0], p])).values()];
  for (const [n] of uniq) (used.get(eco) ?? used.set(eco, new Set()).get(eco)).add(n);
  const dir = join(repo, `packages/p${f}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), render(file, uniq));
}

// Advisories: most for packages nobody here uses (like the real databases), some for used ones.
const ecosystems = [...used.keys()];
for (let a = 0; a < ADVISORIES; a++) {
  const eco = ecosystems[a % ecosystems.length];
  const usedNames = [...used.get(eco)];
  const name = rnd(100) < 1 ? usedNames[rnd(usedNames.length)] : nameOf(eco, 100000 + rnd(200000));
  const mal = eco === 'npm' && rnd(3) === 0;
  const id = mal ? `MAL-2025-${a}` : `GHSA-${a.toString(36).padStart(4, '0')}-bnch-${(a * 7).toString(36).padStart(4, '0')}`;
  const record = {
    id,
    modified: `2025-0${1 + rnd(9)}-1${rnd(9)}T00:00:00Z`,
    ...(rnd(50) === 0 && { withdrawn: '2025-10-01T00:00:00Z' }),
    aliases: mal ? [] : [`CVE-2025-${10000 + a}`],
    summary: mal ? `Malicious code in ${name}` : `Issue ${a} in ${name}`,
    affected: [
      mal
        ? { package: { ecosystem: eco, name }, versions: [ver()] }
        : { package: { ecosystem: eco, name }, ranges: [{ type: eco === 'PyPI' || eco === 'Maven' || eco === 'RubyGems' || eco === 'NuGet' || eco === 'Packagist' ? 'ECOSYSTEM' : 'SEMVER', events: [{ introduced: rnd(2) ? '0' : `${rnd(5)}.0.0` }, { fixed: ver() }] }] },
    ],
    ...(!mal && { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' }], database_specific: { severity: ['LOW', 'MODERATE', 'HIGH', 'CRITICAL'][rnd(4)] } }),
  };
  const dir = join(osv, eco);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(record));
}
const total = [...used.values()].reduce((n, s) => n + s.size, 0);
console.log(`wrote ${LOCKFILES} lockfiles (~${perFile} entries each) and ${ADVISORIES} OSV records under ${out}; ${total} distinct package names`);
