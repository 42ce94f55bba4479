import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from '../helpers.js';
import { tempDir } from '../secrets/fixtures.js';

/**
 * `--new-only` and baselines match findings by fingerprint, so a fingerprint must not change
 * when lines move. Checked for every scanning command on the examples repository: each file
 * gets lines added above everything, and every finding must keep its fingerprint.
 */
const COMMANDS = ['audit', 'secrets', 'scan'] as const;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? filesUnder(abs) : [abs];
  });
}

function fingerprints(cwd: string, command: string): Map<string, string> {
  const r = cli([command, '.', '-f', 'json', '--fail-on', 'never'], { cwd });
  const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; fingerprint: string; location: { file: string; startLine: number } }> };
  return new Map(report.findings.map((f) => [`${f.ruleId} ${f.location.file} ${f.fingerprint}`, `${f.location.file}:${f.location.startLine}`]));
}

describe('fingerprints survive line moves', { timeout: 300_000 }, () => {
  const before = tempDir('pw-fp-a-');
  const after = tempDir('pw-fp-b-');
  cpSync(join(REPO, 'examples'), before, { recursive: true });
  cpSync(join(REPO, 'examples'), after, { recursive: true });
  for (const file of filesUnder(after)) {
    if (/\.ya?ml$/.test(file)) writeFileSync(file, `# moved down\n# by three lines\n\n${readFileSync(file, 'utf8')}`);
    if (/\.[cm]?[jt]sx?$/.test(file)) writeFileSync(file, `// moved down\n// by three lines\n\n${readFileSync(file, 'utf8')}`);
  }

  // SAST: the example app's findings, and a small Express handler with an injectable query at the root.
  const handler = "const express = require('express');\nconst Database = require('better-sqlite3');\nconst db = new Database('x.db');\nconst app = express();\napp.get('/u', (req, res) => {\n  res.json(db.prepare(`SELECT * FROM u WHERE n = '${req.query.n}'`).all());\n});\n";
  writeFileSync(join(before, 'app.js'), handler);
  writeFileSync(join(after, 'app.js'), `// moved down\n// by three lines\n\n${handler}`);

  it('sast: same fingerprints, every line three further down', () => {
    const a = fingerprints(before, 'sast');
    const b = fingerprints(after, 'sast');
    expect([...a.values()].filter((w) => w.startsWith('app.js'))).toEqual(['app.js:6']);
    expect([...b.values()].filter((w) => w.startsWith('app.js'))).toEqual(['app.js:9']);
    expect(a.size).toBeGreaterThan(5);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [key, where] of a) expect(b.get(key)).not.toBe(where);
  });

  for (const command of COMMANDS) {
    it(`${command}: same fingerprints, every line three further down`, () => {
      const a = fingerprints(before, command);
      const b = fingerprints(after, command);
      expect(a.size).toBeGreaterThan(command === 'secrets' ? 3 : 50);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      // The lines did move: this is not comparing a file with itself.
      for (const [key, where] of a) expect(b.get(key)).not.toBe(where);
    });
  }
});
