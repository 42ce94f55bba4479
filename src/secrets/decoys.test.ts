import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import { runSecretsScan } from './run.js';

/*
 * test/secrets-corpus/decoys/ holds realistic files with no secret in them (placeholders, secret
 * store references, documentation examples, digests, public keys): every report there is a
 * false positive, so the scan must come back empty, with every file read.
 */
const DECOYS = fileURLToPath(new URL('../../test/secrets-corpus/decoys/', import.meta.url));

describe('the decoy corpus', () => {
  it('gives zero findings and no diagnostics', async () => {
    const r = await runSecretsScan(DEFAULT_CONFIG, { path: DECOYS, mode: 'tree', ignore: false, maxFileSize: 10 * 1024 * 1024, verify: false });
    expect(r.findings.map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId}`)).toEqual([]);
    expect(r.diagnostics).toEqual([]);
    expect(readdirSync(DECOYS).length).toBeGreaterThanOrEqual(14);
  });
});
