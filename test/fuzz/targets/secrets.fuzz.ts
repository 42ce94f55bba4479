/**
 * Fuzz targets for every secrets decoder and container reader (see ../README.md). Each run also
 * passes a Deadline into the code under test, well inside the harness deadline, so an input that
 * would hang fails with the stage it hung in (`decoder json-escape`) rather than only by time.
 */
import fc from 'fast-check';
import { check, defineTarget, type FuzzTarget } from '../harness.js';
import { DEFAULT_CONFIG } from '../../../src/config/types.js';
import { Deadline } from '../../../src/secrets/budget.js';
import { findContainerSecrets } from '../../../src/secrets/containers.js';
import { findEncodedBlobs, MAX_BLOB } from '../../../src/secrets/decode.js';
import { findSecrets } from '../../../src/secrets/engine.js';
import { BatchReader, RawParser } from '../../../src/secrets/history.js';
import { addedLines, lineHashes } from '../../../src/secrets/linediff.js';
import { LineSplitter } from '../../../src/secrets/lines.js';
import { cleanLogLine } from '../../../src/secrets/logclean.js';
import { maskSecret } from '../../../src/secrets/mask.js';
import { redactSpans } from '../../../src/secrets/redact.js';
import { SecretScanner } from '../../../src/secrets/scan.js';
import { decodeText, textKind } from '../../../src/secrets/text.js';
import { findTfstateSecrets } from '../../../src/secrets/tfstate.js';
import { validateAwsKeyId } from '../../../src/secrets/validators/aws.js';
import { bech32Verify, validateAgeSecretKey } from '../../../src/secrets/validators/bech32.js';
import { validateBase62Checksum } from '../../../src/secrets/validators/github.js';
import { validateGitlabRoutable } from '../../../src/secrets/validators/gitlab.js';
import { decodeJwt, validateJwt } from '../../../src/secrets/validators/jwt.js';
import { parseMacaroonV2, validatePypiToken } from '../../../src/secrets/validators/pypi.js';
import { decodeBase64Json, validateBasicAuth, validateDiscordBotToken, validatePrivateKeyBlock } from '../../../src/secrets/validators/structure.js';

/**
 * Budget handed to the code under test: well under the harness deadline, so a hang is named.
 * Inputs reach 400,000 characters; on text dense with PEM or PuTTY headers the scanner runs at
 * about 150 KB/s on the shared 2-core machine (linear, measured up to 384 KB: ~2 s), so 1.5 s
 * failed on throughput rather than on a hang.
 */
const BUDGET_MS = 4000;
/** Harness deadline of the targets that take BUDGET_MS. */
const DEADLINE_MS = 6000;

/** Text from pieces that matter to the decoders and detectors, mixed with arbitrary characters. */
function tokenText(tokens: readonly string[], maxTokens = 60): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...tokens) },
    { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u001b[31m', '\r', '\t', '\n', '\u2028', '\ufeff', '\ud800', '\u{1f600}') },
  );
  return fc.array(piece, { maxLength: maxTokens }).map((parts) => parts.join(''));
}

/** Sometimes one generated piece repeated many times: long lines and dense hits. */
function longOrShort(text: fc.Arbitrary<string>, maxTimes = 2000): fc.Arbitrary<string> {
  return fc.oneof({ weight: 4, arbitrary: text }, { weight: 1, arbitrary: fc.tuple(text, fc.integer({ min: 2, max: maxTimes })).map(([t, n]) => t.repeat(n).slice(0, 400_000)) });
}

const ESCAPES = ['"', "'", '`', '\\', '\\\\', '\\n', '\\u0041', '\\u00', '\\/', '\\"', 'C:\\\\', '%41', '%4', '%', '+', ' ', '\n', 'token=', 'ghp_', '-----BEGIN PRIVATE KEY-----'];
const B64 = ['QUJD', 'ZGVm', 'Z2hwXw', 'dG9rZW46IA', '==', '=', '-', '_', '/', '+', 'a1B2c3D4e5F6g7H8', '6869', '0x', 'deadbeef'];
const SECRETISH = [
  'ghp_',
  'github_pat_',
  'xoxb-',
  'AKIA',
  'aws_secret_access_key = ',
  'password=',
  'Password=',
  ';Server=db;',
  '://',
  'user:',
  '@host',
  'sk_live_',
  'npm_',
  '-----BEGIN RSA PRIVATE KEY-----\n',
  '-----END RSA PRIVATE KEY-----',
  'eyJhbGciOiJIUzI1NiJ9.',
  'PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\n',
  'Private-Lines: 2\n',
  '"auths": {"r": {"auth": "',
  'client-key-data: ',
  'users:\n- name: x\n  user:\n    token: ',
  'clusters:\n',
  'KEY=',
  'SECRET_TOKEN: ',
  '0123456789',
  'Zq8Wm3Kx9Lp2Vn7Rt4Yb6Hc1',
];

let scanner: SecretScanner | undefined;
const engine = () => (scanner ??= new SecretScanner(DEFAULT_CONFIG)).engine;

function spansInBounds(text: string, spans: ReadonlyArray<{ start: number; end: number }>, what: string): void {
  for (const s of spans) check(s.start >= 0 && s.start < s.end && s.end <= text.length, `${what}: span ${s.start}-${s.end} outside 0-${text.length}`);
}

const targets: FuzzTarget[] = [
  defineTarget<string>({
    name: 'secrets-decoders',
    about: 'findEncodedBlobs (base64, hex, percent, JSON escapes): finishes in budget, spans in bounds, decoded text within the budget',
    arbitrary: longOrShort(tokenText([...ESCAPES, ...B64])),
    run(text) {
      const budget = { remaining: Math.max(1 << 20, text.length) };
      const blobs = findEncodedBlobs(text, budget, undefined, Deadline.after(BUDGET_MS));
      spansInBounds(text, blobs, 'blob');
      for (const b of blobs) check(b.end - b.start <= MAX_BLOB, 'blob over MAX_BLOB');
      check(blobs.reduce((a, b) => a + b.decoded.length, 0) <= Math.max(1 << 20, text.length) + MAX_BLOB, 'decoded more than the budget');
    },
    deadlineMs: DEADLINE_MS,
  }),
  defineTarget<string>({
    name: 'secrets-engine',
    about: 'findSecrets over token-like text (every detector, containers, nested decoding): finishes in budget, hits in bounds and sorted',
    arbitrary: longOrShort(tokenText([...SECRETISH, ...ESCAPES, ...B64])),
    run(text) {
      const hits = findSecrets(text, 'fuzz.txt', engine(), Deadline.after(BUDGET_MS));
      spansInBounds(text, hits, 'hit');
      for (let i = 1; i < hits.length; i++) check(hits[i - 1]!.start <= hits[i]!.start, 'hits out of order');
      for (const h of hits) check(h.secret.length > 0, 'empty secret');
    },
    deadlineMs: DEADLINE_MS,
  }),
  defineTarget<{ name: string; text: string }>({
    name: 'secrets-containers',
    about: 'container readers (docker config, .npmrc, .pypirc, kubeconfig, tfstate, .env, config files, URLs, PuTTY): no exception, spans in bounds',
    arbitrary: fc.record({
      name: fc.constantFrom('config.json', '.dockercfg', '.npmrc', '.pypirc', 'kubeconfig', 'terraform.tfstate', '.env', '.env.local', 'app.yml', 'a.properties', 'key.ppk', 'x.txt'),
      text: longOrShort(tokenText([...SECRETISH, '{', '}', '[', ']', ':', ',', '"', '=', '\n', '  ', '- ', '_authToken=', '_auth=', 'password: ', '"sensitive_attributes": [', '"resources": [', '"instances": [', '"attributes": {', '"outputs": {', '"sensitive": true', '"value": "'])),
    }),
    run({ name, text }) {
      const all = new Set(['docker-config-auth', 'url-credentials', 'connection-string', 'npmrc-auth', 'kubeconfig-client-key', 'kubeconfig-token', 'config-secret', 'putty-private-key']);
      const found = findContainerSecrets(text, name, all, Deadline.after(BUDGET_MS));
      spansInBounds(text, found, 'container hit');
    },
    deadlineMs: DEADLINE_MS,
  }),
  defineTarget<string>({
    name: 'secrets-validators',
    about: 'every validator and the format decoders they use (JWT, base64 JSON, PEM blocks, PyPI macaroons, bech32/age, AWS ids, GitHub/GitLab checksums, Discord, basic auth): no exception on any input',
    arbitrary: fc.oneof(
      tokenText(['eyJ', '.', 'e30', 'pypi-', 'AgE', '-----BEGIN ', 'PRIVATE KEY-----', '-----END ', '\n', 'AGE-SECRET-KEY-1', 'AKIA', 'ASIA', 'ghp_', 'glpat-', 'glrt-', '01.0.', ':', 'Basic ', 'MTk', ...B64]),
      fc.string({ unit: 'binary', maxLength: 200 }),
    ),
    run(text) {
      decodeJwt(text);
      validateJwt(text);
      decodeBase64Json(text);
      validatePrivateKeyBlock(text);
      validateAwsKeyId(text);
      bech32Verify(text);
      validateAgeSecretKey(text);
      validateBase62Checksum(text);
      validateGitlabRoutable(text);
      validatePypiToken(text);
      validateDiscordBotToken(text);
      validateBasicAuth(text);
      try {
        parseMacaroonV2(Buffer.from(text, 'latin1'));
      } catch (e) {
        // Malformed macaroons are rejected with an Error, which the validator catches; anything else is a bug.
        check(e instanceof Error && !(e instanceof RangeError && /call stack/.test(e.message)), `macaroon parser threw ${String(e)}`);
      }
    },
  }),
  defineTarget<{ stream: Uint8Array; cuts: number[]; max: number }>({
    name: 'secrets-git-batch-reader',
    about: 'the `git cat-file --batch` reader, on arbitrary bytes cut into arbitrary chunks: same objects whatever the cuts, never more data than declared',
    arbitrary: fc.record({
      stream: fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.tuple(fc.constantFrom('blob', 'missing', 'tree'), fc.string({ maxLength: 30 })), { maxLength: 6 }).map((objs) =>
          Buffer.from(objs.map(([t, body]) => (t === 'missing' ? `${'f'.repeat(40)} missing\n` : `${'e'.repeat(40)} ${t} ${Buffer.byteLength(body)}\n${body}\n`)).join('')),
        ),
      ),
      cuts: fc.array(fc.nat(), { maxLength: 6 }),
      max: fc.integer({ min: 0, max: 64 }),
    }),
    run({ stream, cuts, max }) {
      const buf = Buffer.from(stream);
      const read = (points: number[]): string[] => {
        const reader = new BatchReader(max);
        const out: string[] = [];
        let from = 0;
        for (const p of [...points, buf.length]) {
          for (const o of reader.push(buf.subarray(from, p))) {
            check(o.data === undefined || o.data.length === o.size, 'data length differs from the declared size');
            check(o.data === undefined || o.size <= max, 'kept an object over the limit');
            out.push(`${o.id}/${o.size}/${o.missing}/${o.data?.toString('hex') ?? '-'}`);
          }
          from = p;
        }
        return out;
      };
      const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
      check(JSON.stringify(read(points)) === JSON.stringify(read([])), 'chunk boundaries changed the objects read');
    },
  }),
  defineTarget<{ stream: string; cuts: number[] }>({
    name: 'secrets-git-raw-reader',
    about: 'the `git diff-tree --raw -z` reader, on arbitrary token streams cut into arbitrary chunks: same entries whatever the cuts, each with a path',
    arbitrary: fc.record({
      stream: tokenText(['\x1eabc\x1fA\x1fa@b\x1f2024-01-01T00:00:00Z', '\0', '\n', ':100644 100644 ', 'a'.repeat(40), ' ', '0'.repeat(40), 'M', 'A', 'R100', 'C75', 'D', 'path/x.txt', 'p\u00e9', ':']),
      cuts: fc.array(fc.nat(), { maxLength: 5 }),
    }),
    run({ stream, cuts }) {
      const read = (points: number[]): string[] => {
        const out: string[] = [];
        const p = new RawParser(
          (e) => out.push(`${e.status}:${e.newId}:${e.path}`),
          (h) => out.push(`H:${h}`),
        );
        let from = 0;
        for (const at of [...points, stream.length]) {
          p.push(stream.slice(from, at));
          from = at;
        }
        p.end();
        return out;
      };
      const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
      check(JSON.stringify(read(points)) === JSON.stringify(read([])), 'chunk boundaries changed the entries read');
    },
  }),
  defineTarget<{ a: string; b: string }>({
    name: 'secrets-linediff',
    about: 'added lines of a new version: indexes in range, ascending, and every line not in the old version among them',
    arbitrary: fc.record({ a: longOrShort(tokenText(['x', 'y', 'z', '\n', '\r\n', 'same line\n']), 300), b: longOrShort(tokenText(['x', 'y', 'z', '\n', '\r\n', 'same line\n']), 300) }),
    run({ a, b }) {
      const ha = lineHashes(a);
      const hb = lineHashes(b);
      const added = addedLines(ha, hb);
      for (let i = 0; i < added.length; i++) check(added[i]! >= 0 && added[i]! < hb.length && (i === 0 || added[i - 1]! < added[i]!), 'added lines out of range or order');
      const old = new Set(ha);
      const picked = new Set(added);
      hb.forEach((h, j) => check(old.has(h) || picked.has(j), `line ${j} is new but not reported`));
    },
  }),
  defineTarget<{ text: string; cuts: number[] }>({
    name: 'secrets-stdin-lines',
    about: 'the --stdin line splitter and log cleaner: the same lines whatever the chunking; cleaning never grows a line',
    arbitrary: fc.record({ text: tokenText(['2024-01-01T00:00:00.0000000Z ', '\u001b[1;31m', '\u001b]8;;x\u0007', 'section_start:1:a\r', '\r', '\n', 'ghp_', 'é', '***']), cuts: fc.array(fc.nat(), { maxLength: 5 }) }),
    run({ text, cuts }) {
      const bytes = Buffer.from(text);
      const split = (points: number[]): string[] => {
        const out: string[] = [];
        const s = new LineSplitter(1 << 20);
        let from = 0;
        for (const p of [...points, bytes.length]) {
          s.push(bytes.subarray(from, p), (l) => out.push(l));
          from = p;
        }
        s.end((l) => out.push(l));
        return out;
      };
      const whole = split([]);
      check(JSON.stringify(split([...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y))) === JSON.stringify(whole), 'chunking changed the lines');
      for (const l of whole) check(cleanLogLine(l).length <= l.length, 'cleaning grew a line');
    },
  }),
  defineTarget<{ text: string; spans: Array<[number, number]> }>({
    name: 'secrets-redaction',
    about: 'redactSpans, maskSecret and decodeText: same length and line breaks, nothing of a long span shown past its first 4 characters',
    arbitrary: fc.record({ text: tokenText(['ghp_abc', '\n', '\r\n', 'x', '\u{1f600}', ' ']), spans: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 5 }) }),
    run({ text, spans }) {
      const ss = spans.map(([a, b]) => ({ start: Math.min(a, b) % (text.length + 1), end: Math.max(a, b) % (text.length + 1) }));
      const out = redactSpans(text, ss);
      check(out.length === text.length, 'redaction changed the length');
      for (let i = 0; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') check(out[i] === text[i], 'redaction moved a line break');
      const m = maskSecret(text);
      check(m.endsWith('********') && m.length <= 12 + 8, 'mask too long');
      decodeText(Buffer.from(text, 'utf16le'));
      decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text)]));
    },
  }),
  defineTarget<string>({
    name: 'secrets-tfstate',
    about: 'the Terraform state reader on generated states (deep nesting, sensitive attributes and outputs, odd types): no exception, finishes in budget, spans in bounds and each span holds its secret',
    arbitrary: fc
      .letrec<{ v: unknown }>((tie) => ({
        v: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          fc.constantFrom('Zq8Wm3Kx9Lp2Vn7R', 'hunter2hunter2', 'changeme', '', 'x', 1, true, null, 'a"b\\c\u2028', 'ghp_' + 'a'.repeat(36)),
          fc.array(tie('v'), { maxLength: 3 }),
          fc.dictionary(fc.constantFrom('password', 'value', 'secret', 'token', 'attributes', 'sensitive_attributes', 'type', 'k'), tie('v'), { maxKeys: 3 }),
        ),
      }))
      .v.chain((v) =>
        fc.oneof(
          fc.constant(JSON.stringify({ version: 4, resources: [{ instances: [{ attributes: v, sensitive_attributes: [[{ type: 'get_attr', value: 'password' }]] }] }], outputs: { o: { sensitive: true, value: v } } })),
          fc.constant(JSON.stringify(v)),
          fc.integer({ min: 1, max: 5000 }).map((n) => `{"resources":[{"instances":[{"attributes":${'['.repeat(n)}${JSON.stringify(v)}${']'.repeat(n)}}]}]}`),
        ),
      ),
    run(text) {
      const found: Array<{ start: number; end: number; secret: string }> = [];
      findTfstateSecrets(text, (secret, start, end) => found.push({ secret, start, end }), Deadline.after(BUDGET_MS));
      spansInBounds(text, found, 'tfstate hit');
      check(found.length <= text.length, 'more hits than characters');
    },
    deadlineMs: DEADLINE_MS,
  }),
  defineTarget<Uint8Array>({
    name: 'secrets-text-decoding',
    about: 'decodeText/textKind on arbitrary bytes (BOMs, NULs, lone surrogates, invalid UTF-8): no exception; binary only when a NUL is in the first 8 KiB of a file without a UTF-16 BOM (or UTF-16 when the NULs fall as UTF-16 puts them, never for an odd length)',
    arbitrary: fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.constantFrom([0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf], []), fc.string({ maxLength: 100 }), fc.constantFrom('utf16le', 'utf8', 'latin1') as fc.Arbitrary<BufferEncoding>).map(([bom, t, enc]) => new Uint8Array(Buffer.concat([Buffer.from(bom), Buffer.from(t, enc)]))),
    ),
    run(bytes) {
      const data = Buffer.from(bytes);
      const kind = textKind(data);
      const text = decodeText(data);
      const bom = data.length >= 2 && ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff));
      const nul = !bom && data.subarray(0, 8192).includes(0);
      // A NUL means binary, unless the NULs fall the way UTF-16 text puts them (BOM-less UTF-16).
      check(nul ? kind === 'binary' || kind === 'utf16' : kind !== 'binary', `kind ${kind} for ${data.length} bytes`);
      if (nul && kind === 'utf16') check(data.length % 2 === 0, `odd-length data read as UTF-16 (${data.length} bytes)`);
      check((text === undefined) === (kind === 'binary'), 'text returned for binary data, or none for text');
      if (text !== undefined) check(text.length <= data.length, 'decoded text longer than the bytes');
    },
  }),
];

export default targets;
