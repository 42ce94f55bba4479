import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importSarif, jsonErrorOffset } from '../../src/sarif-import/import.js';
import { cli, tree } from '../helpers.js';
import { sarifSchemaErrors } from '../sarif-schema.js';

const HERE = import.meta.dirname;
const fixture = (name: string): string => readFileSync(join(HERE, name), 'utf8');

function lines(name: string): string[] {
  return importSarif(fixture(name), { file: name, root: '/work/repo' }).findings.map((f) => `${f.ruleId} ${f.severity}/${f.confidence} ${f.location.file}:${f.location.startLine}:${f.location.startColumn} [${f.cwe.join(',')}] ${f.message}`);
}

describe('importSarif', () => {
  it('CodeQL: rules from the query pack extension, security-severity, precision, CWE tags, code flows', () => {
    expect(lines('codeql.sarif')).toEqual([
      'codeql/js/sql-injection high/high src/routes/orders.js:27:18 [CWE-89,CWE-90,CWE-943] This query string depends on a user-provided value. (CodeQL)',
      'codeql/js/missing-rate-limiting high/high src/routes/orders.js:22:28 [CWE-307,CWE-770] This route handler performs a database access, but is not rate-limited. (CodeQL)',
    ]);
    const [sqli] = importSarif(fixture('codeql.sarif'), { file: 'codeql.sarif', root: '/work/repo' }).findings;
    expect(sqli!.codeFlows).toEqual([
      [
        { file: 'src/routes/orders.js', startLine: 24, startColumn: 20, endLine: 24, endColumn: 34, message: 'req.query.sort' },
        { file: 'src/routes/orders.js', startLine: 27, startColumn: 18, endLine: 27, endColumn: 61, message: "'SELECT ... + sort" },
      ],
    ]);
    expect(sqli!.related).toEqual([{ file: 'src/routes/orders.js', startLine: 24, startColumn: 20, endLine: 24, endColumn: 34, message: 'user-provided value' }]);
    expect(sqli!.properties).toEqual({ tool: 'CodeQL', toolVersion: '2.19.3', importedFrom: 'codeql.sarif', help: 'CodeQL rule js/sql-injection' });
  });

  it('Semgrep: levels become severities, CWE from tag text, suppressed results are skipped', () => {
    const r = importSarif(fixture('semgrep.sarif'), { file: 'semgrep.sarif', root: '/work/repo' });
    expect(r.skipped).toBe(1);
    expect(lines('semgrep.sarif')).toEqual([
      'semgrep/javascript.express.security.audit.express-open-redirect.express-open-redirect medium/high src/routes/login.js:41:5 [CWE-601] The application redirects to a URL specified by user-supplied input `req.query.next` that is not validated. (Semgrep OSS)',
    ]);
    expect(r.rules[0]!.docs).toContain('More: https://semgrep.dev/r/javascript.express.security.audit.express-open-redirect.express-open-redirect');
  });

  it('ZAP: URL locations are kept, CWE comes from the taxonomy relationship', () => {
    expect(lines('zap.sarif')).toEqual(['zap/40012 high/medium http://127.0.0.1:3000/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E:1:1 [CWE-79] Cross Site Scripting (Reflected) in parameter q (ZAP)']);
  });

  it('Trivy: CVE rules with a score, multi-line messages on one line', () => {
    expect(lines('trivy.sarif')).toEqual([
      'trivy/CVE-2021-23337 high/high package-lock.json:1:1 [] Package: lodash Installed Version: 4.17.20 Vulnerability CVE-2021-23337 Severity: HIGH Fixed Version: 4.17.21 Link: [CVE-2021-23337](https://avd.aquasec.com/nvd/cve-2021-23337) (Trivy)',
      'trivy/DS002 high/high Dockerfile:1:1 [] Artifact: Dockerfile Type: dockerfile Vulnerability DS002 Severity: HIGH Message: Specify at least 1 USER command in Dockerfile with non-root user as argument (Trivy)',
    ]);
  });

  it('fingerprints come from the tool’s own fingerprints, so a moved result keeps its identity', () => {
    const a = importSarif(fixture('semgrep.sarif'), { file: 's', root: '/r' }).findings[0]!;
    const moved = fixture('semgrep.sarif').replace('"startLine": 41', '"startLine": 52');
    const b = importSarif(moved, { file: 's', root: '/r' }).findings[0]!;
    expect(b.location.startLine).toBe(52);
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('absolute file URIs inside the root become relative; message placeholders are filled', () => {
    const log = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'eslint', rules: [{ id: 'no-eval', messageStrings: { unexpected: { text: '{0} can be harmful.' } } }] } },
          results: [{ ruleId: 'no-eval', ruleIndex: 0, level: 'error', message: { id: 'unexpected', arguments: ['eval'] }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///work/repo/lib/a%20b.js' }, region: { startLine: 3 } } }] }],
        },
      ],
    };
    expect(importSarif(JSON.stringify(log), { file: 'e.sarif', root: '/work/repo' }).findings.map((f) => `${f.ruleId} ${f.severity} ${f.location.file}:${f.location.startLine} ${f.message}`)).toEqual(['eslint/no-eval high lib/a b.js:3 eval can be harmful. (eslint)']);
  });

  it('a file that is not SARIF is a high finding at the place it breaks, never an exception', () => {
    const r = importSarif('{\n  "version": "2.1.0",\n  "runs": [ }', { file: 'broken.sarif', root: '/r' });
    expect(r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.location.file}:${f.location.startLine}:${f.location.startColumn}`)).toEqual(['sarif/invalid-input high broken.sarif:3:13']);
    expect(importSarif('{"runs": 3}', { file: 'x', root: '/r' }).findings[0]!.message).toContain('no "runs" array');
    for (const text of ['null', '[]', '{"runs":[null, 1, {"results": [null, {"locations": 5}]}]}', '{"runs":[{"tool":{"driver":{"rules":[null]}},"results":[{"ruleIndex": 7, "message": {}}]}]}']) {
      expect(() => importSarif(text, { file: 'x', root: '/r' })).not.toThrow();
    }
  });
});

describe('jsonErrorOffset', () => {
  it('agrees with JSON.parse on validity, for valid JSON and for it with one character cut or changed', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '{'), (text, at, ch) => {
        const cut = at % (text.length + 1);
        for (const t of [text, text.slice(0, cut) + ch + text.slice(cut + 1), text.slice(0, cut)]) {
          let valid = true;
          try {
            JSON.parse(t);
          } catch {
            valid = false;
          }
          expect(jsonErrorOffset(t) === undefined).toBe(valid);
        }
      }),
      { numRuns: 500, interruptAfterTimeLimit: 10_000 },
    );
  });
});

describe('pipewarden sarif import (CLI)', () => {
  it('gates four tools in one report: exit code, baseline, SARIF output that validates', () => {
    const dir = tree({});
    for (const f of ['codeql.sarif', 'semgrep.sarif', 'zap.sarif', 'trivy.sarif']) writeFileSync(join(dir, f), fixture(f));
    const r = cli(['sarif', 'import', 'codeql.sarif', 'semgrep.sarif', 'zap.sarif', 'trivy.sarif', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> };
    expect(report.findings.map((f) => f.ruleId)).toEqual([
      'trivy/DS002',
      'zap/40012',
      'trivy/CVE-2021-23337',
      'semgrep/javascript.express.security.audit.express-open-redirect.express-open-redirect',
      'codeql/js/missing-rate-limiting',
      'codeql/js/sql-injection',
    ]);
    expect(r.stderr).toContain('semgrep.sarif: note: 1 result(s) marked suppressed by the producing tool were left out');

    // --fail-on critical: nothing critical, exit 0; a baseline hides them all.
    expect(cli(['sarif', 'import', 'trivy.sarif', '--fail-on', 'critical', '-q'], { cwd: dir }).code).toBe(0);
    expect(cli(['sarif', 'import', 'codeql.sarif', 'semgrep.sarif', 'zap.sarif', 'trivy.sarif', '--write-baseline', 'base.json', '-q'], { cwd: dir }).code).toBe(0);
    expect(cli(['sarif', 'import', 'codeql.sarif', 'semgrep.sarif', 'zap.sarif', 'trivy.sarif', '--baseline', 'base.json', '-q'], { cwd: dir }).code).toBe(0);

    const sarif = cli(['sarif', 'import', 'codeql.sarif', '-f', 'sarif'], { cwd: dir });
    const doc = JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ codeFlows?: unknown[] }>; tool: { driver: { rules: Array<{ id: string; help: { markdown: string } }> } } }> };
    expect(sarifSchemaErrors(doc)).toEqual([]);
    expect(doc.runs[0]!.results[1]!.codeFlows).toHaveLength(1);
    expect(doc.runs[0]!.tool.driver.rules.find((x) => x.id === 'codeql/js/sql-injection')!.help.markdown).toContain('Use query parameters instead of string concatenation.');
  });

  it('a broken file fails the gate with its position; a missing one is a usage error', () => {
    const dir = tree({ 'ok.sarif': fixture('zap.sarif'), 'bad.sarif': '{"version": "2.1.0", "runs": [' });
    const r = cli(['sarif', 'import', 'bad.sarif', 'ok.sarif', '--fail-on', 'critical'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(0);
    const strict = cli(['sarif', 'import', 'bad.sarif', 'ok.sarif', '-f', 'json'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect((JSON.parse(strict.stdout) as { findings: Array<{ ruleId: string; location: { file: string; startLine: number } }> }).findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine}`)).toEqual(['sarif/invalid-input bad.sarif:1', 'zap/40012 http://127.0.0.1:3000/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E:1']);
    const missing = cli(['sarif', 'import', 'nope.sarif'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read nope.sarif: no such file');
  });

  it('scan --import-sarif puts other scanners beside ours in one gate', () => {
    const dir = tree({ 'codeql.sarif': fixture('codeql.sarif'), 'app.js': "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send(req.query.q));\n" });
    const r = cli(['scan', '.', '--import-sarif', 'codeql.sarif', '-f', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { findings: Array<{ ruleId: string }> }).findings.map((f) => f.ruleId)).toEqual(['xss', 'codeql/js/missing-rate-limiting', 'codeql/js/sql-injection']);
  });
});
