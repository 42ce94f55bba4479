import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.js';
import { DEFAULT_CONFIG, type PipewardenConfig } from '../config/types.js';
import { fingerprintOf } from '../core/fingerprint.js';
import { SecretScanner, secretHash, secretRuleMetas } from './scan.js';
import { GH_PAT } from '../../test/secrets/fixtures.js';
import { Fake, Rng } from './detectors/fake.js';

const withSecrets = (secrets: PipewardenConfig['secrets']): PipewardenConfig => ({ ...DEFAULT_CONFIG, secrets, source: 'pipewarden.yml' });

describe('SecretScanner', () => {
  it('a PEM key inside a JSON string is one finding (as written), not one raw and one decoded', () => {
    const pem = new Fake(new Rng(4242)).pem('rsa');
    const text = `{"tls":{"key":${JSON.stringify(pem)}}}\n`;
    // As written in the file: the escaped form, up to the closing dashes (the trailing \n escape is not part of the key).
    const written = JSON.stringify(pem).slice(1, -1).replace(/\\n$/, '');
    const found = new SecretScanner(DEFAULT_CONFIG).scan(text, 'c.json');
    expect(found.map((f) => [f.finding.ruleId, f.finding.message, f.finding.location, f.finding.fingerprint])).toEqual([
      [
        'secrets/private-key',
        'Private key (PEM: PKCS#8, RSA, EC, DSA) ----******** found',
        { file: 'c.json', startLine: 1, startColumn: 16, endLine: 1, endColumn: 16 + written.length },
        fingerprintOf('secrets/private-key', 'c.json', secretHash(written)),
      ],
    ]);
  });

  it('builds findings with masked message, hashed fingerprint and history properties', () => {
    const s = new SecretScanner(DEFAULT_CONFIG);
    const [r] = s.scan(`x = "${GH_PAT}"`, 'a/b.py', { commit: 'c0ffee', author: 'A', email: 'a@x', date: '2024-01-01T00:00:00Z' });
    expect(r!.finding).toEqual({
      ruleId: 'secrets/github-pat-classic',
      severity: 'critical',
      confidence: 'high',
      message: 'GitHub personal access token (classic) ghp_******** found',
      location: { file: 'a/b.py', startLine: 1, startColumn: 6, endLine: 1, endColumn: 46 },
      related: [],
      owasp: ['CICD-SEC-6'],
      cwe: ['CWE-798'],
      fingerprint: fingerprintOf('secrets/github-pat-classic', 'a/b.py', secretHash(GH_PAT)),
      properties: { detector: 'github-pat-classic', formatCheck: 'passed', commit: 'c0ffee', author: 'A', email: 'a@x', date: '2024-01-01T00:00:00Z' },
    });
    expect(r!.secret).toBe(GH_PAT);
  });

  it('rule metadata: one per detector, container and custom detector, docs in the README', () => {
    const metas = secretRuleMetas(withSecrets({ detectors: [{ id: 'acme', regex: 'acme_[a-z]{8}' }] }));
    const ids = metas.map((m) => m.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['secrets/github-pat-classic', 'secrets/url-credentials', 'secrets/docker-config-auth', 'secrets/acme']));
    for (const m of metas) {
      expect(m.platform).toBe('secrets');
      expect(m.docs.pathname.endsWith('/secrets/README.md')).toBe(true);
    }
    expect(new SecretScanner(DEFAULT_CONFIG).docsFor('secrets/npmrc-auth')).toMatch(/^# npm registry credentials/);
  });

  it('config errors: a custom id that shadows a built-in, an invalid allow regex', () => {
    expect(() => new SecretScanner(withSecrets({ detectors: [{ id: 'github-pat-classic', regex: 'x' }] }))).toThrow(ConfigError);
    expect(() => new SecretScanner(withSecrets({ allow: ['(unclosed'] }))).toThrow(/secrets.allow/);
  });

  it('a PEM key in a JSON string is one finding, at its verbatim position (not again through the unescaped string)', () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const text = JSON.stringify({ name: 'deploy', key, other: key.replace('-----BEGIN', '-----BEGIN RSA').replace('-----END', '-----END RSA') }, null, 2);
    const hits = new SecretScanner(DEFAULT_CONFIG).scan(text, 'creds.json');
    expect(hits.map((h) => [h.finding.ruleId, h.finding.location.startLine, h.finding.location.startColumn, h.finding.properties?.['encoding']])).toEqual([
      ['secrets/private-key', 3, 11, undefined],
      ['secrets/private-key', 4, 13, undefined],
    ]);
  });

  it('never reports a CI-masked value', () => {
    const s = new SecretScanner(DEFAULT_CONFIG);
    expect(s.scan('DB=postgres://app:***@db.corp.net/x\npassword: "***"\n', '.env')).toEqual([]);
  });
});
