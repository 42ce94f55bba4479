/**
 * Detectors for secrets that live inside well-known containers (docker config, .npmrc, .pypirc,
 * kubeconfig, Terraform state, .env, URLs, connection strings, PuTTY keys). Provider token
 * detectors live in detectors/; these find credentials by *where* they sit, so they can catch
 * passwords that have no recognisable shape. Offsets point at the value in the original text.
 */
import type { Confidence, Severity } from '../core/finding.js';
import type { SecretMatch, Validation } from './types.js';
import { basename, entropyOf, isPlaceholder, printableText } from './heuristics.js';
import { checkStrength, classifyKey, decoyReason, isMetadataKey, nameReason } from './detectors/decoys.js';
import { looksRandom } from './entropy.js';
import { findTfstateSecrets } from './tfstate.js';
import { Deadline, forEachMatch, matchAt } from './budget.js';

export interface ContainerMeta {
  id: string;
  title: string;
  family: string;
  severity: Severity;
  confidence: Confidence;
}

/**
 * When a container detector runs: its file name matches `byName`, or one of its `keywords`
 * (lower case, matched case-insensitively) occurs; with `needBoth`, both must hold. Keywords are
 * found by the engine's one-pass prefilter, so gating costs nothing per detector.
 */
interface Container extends ContainerMeta {
  byName?: (name: string) => boolean;
  keywords?: string[];
  needBoth?: boolean;
  find(text: string, emit: Emit, deadline: Deadline, veto: Veto): void;
}

export type Emit = (secret: string, start: number, end: number, confidence?: Confidence, properties?: Record<string, string>) => void;
/** [start, end) holds no secret (a container knows it is encoded data that decoded to none): weaker detectors must not report it. */
export type Veto = (start: number, end: number) => void;

const CONTAINERS: Container[] = [
  {
    id: 'docker-config-auth',
    title: 'Docker registry credentials (config.json auth)',
    family: 'registry',
    severity: 'high',
    confidence: 'high',
    byName: (name) => name === 'config.json' || name === '.dockercfg',
    // `docker_auth_config`: GitLab's DOCKER_AUTH_CONFIG variable holds the JSON, often as an
    // escaped string (`"{\"auths\":{...}}"`), so the quotes may carry a backslash.
    keywords: ['"auths"', '"identitytoken"', '"registrytoken"', 'docker_auth_config'],
    find(text, emit, deadline) {
      const re = /\\?"(auth|identitytoken|registrytoken)\\?"\s*:\s*\\?"([^"\\]{8,8192})\\?"/g;
      forEachMatch(re, text, (m) => {
        const value = m[2]!;
        const start = m.index + m[0].lastIndexOf(value);
        if (m[1] === 'auth') {
          const decoded = decodeBase64Text(value);
          const colon = decoded?.indexOf(':') ?? -1;
          if (!decoded || colon < 1 || colon === decoded.length - 1) return;
          if (isPlaceholder(decoded.slice(colon + 1))) return;
          emit(decoded, start, start + value.length);
        } else if (!isPlaceholder(value)) {
          emit(value, start, start + value.length);
        }
      }, deadline);
    },
  },
  {
    id: 'kubernetes-secret',
    title: 'Value of a Kubernetes Secret manifest',
    family: 'cloud',
    severity: 'high',
    confidence: 'medium',
    keywords: ['kind: secret', 'kind: "secret"', "kind: 'secret'", 'kind: sealedsecret'],
    find: findKubernetesSecrets,
  },
  {
    id: 'url-credentials',
    title: 'Password in URL',
    family: 'generic',
    severity: 'high',
    confidence: 'medium',
    keywords: ['://'],
    find: findUrlCredentials,
  },
  {
    id: 'connection-string',
    title: 'Password in connection string',
    family: 'database',
    severity: 'high',
    confidence: 'medium',
    keywords: ['password', 'pwd'],
    find(text, emit, deadline) {
      const re = /\b(?:password|pwd)[ \t]*=[ \t]*(?:"([^"\r\n]{3,200})"|'([^'\r\n]{3,200})'|([^;"'\s]{3,200}))/gi;
      forEachMatch(re, text, (m) => {
        const value = m[1] ?? m[2] ?? m[3]!;
        const line = lineAround(text, m.index, m.index + m[0].length);
        if (!/\b(?:server|data source|host|address|addr|hostname|initial catalog|database)[ \t]*=/i.test(line) || !line.includes(';')) return;
        if (isPlaceholder(value)) return;
        const start = m.index + m[0].length - value.length - (m[3] === undefined ? 1 : 0);
        emit(value, start, start + value.length);
      }, deadline);
    },
  },
  {
    id: 'npmrc-auth',
    title: 'npm registry credentials (.npmrc)',
    family: 'registry',
    severity: 'high',
    confidence: 'high',
    byName: (name) => name === '.npmrc',
    keywords: ['_auth', '_password'],
    find(text, emit, deadline) {
      const re = /^[ \t]*((?:\/\/[^\s=]*:)?)(_authToken|_auth|_password)[ \t]*=[ \t]*"?([^\s"#;]+)"?/gm;
      forEachMatch(re, text, (m) => {
        const value = m[3]!;
        const start = m.index + m[0].lastIndexOf(value);
        if (isPlaceholder(value)) return;
        if (m[2] === '_authToken') emit(value, start, start + value.length);
        else {
          const decoded = decodeBase64Text(value);
          if (decoded && !isPlaceholder(decoded)) emit(decoded, start, start + value.length);
        }
      }, deadline);
    },
  },
  {
    id: 'pypirc-password',
    title: 'PyPI upload password (.pypirc)',
    family: 'registry',
    severity: 'high',
    confidence: 'high',
    byName: (name) => name === '.pypirc',
    find(text, emit, deadline) {
      const re = /^[ \t]*password[ \t]*[=:][ \t]*(\S[^\r\n]*?)[ \t]*$/gim;
      forEachMatch(re, text, (m) => {
        const value = m[1]!;
        if (isPlaceholder(value)) return;
        const start = m.index + m[0].lastIndexOf(value);
        emit(value, start, start + value.length);
      }, deadline);
    },
  },
  {
    id: 'kubeconfig-client-key',
    title: 'Kubernetes client private key (kubeconfig client-key-data)',
    family: 'cloud',
    severity: 'critical',
    confidence: 'high',
    keywords: ['client-key-data'],
    find(text, emit, deadline) {
      const re = /\bclient-key-data["']?[ \t]*:[ \t]*["']?([A-Za-z0-9+/=]{40,})/g;
      forEachMatch(re, text, (m) => {
        const value = m[1]!;
        const decoded = decodeBase64Text(value);
        if (!decoded?.includes('PRIVATE KEY')) return;
        const start = m.index + m[0].length - value.length;
        emit(decoded.trim(), start, start + value.length);
      }, deadline);
    },
  },
  {
    id: 'kubeconfig-token',
    title: 'Kubernetes user token (kubeconfig)',
    family: 'cloud',
    severity: 'high',
    confidence: 'high',
    keywords: ['users:'],
    find(text, emit, deadline) {
      if (!text.includes('clusters:') && !/kind:\s*Config/.test(text)) return;
      const re = /^[ \t]*(?:token|id-token|refresh-token|password)[ \t]*:[ \t]*["']?([A-Za-z0-9._~+/=:-]{12,})["']?[ \t]*$/gm;
      forEachMatch(re, text, (m) => {
        const value = m[1]!;
        if (isPlaceholder(value)) return;
        const start = m.index + m[0].lastIndexOf(value);
        emit(value, start, start + value.length);
      }, deadline);
    },
  },
  {
    id: 'tfstate-sensitive',
    title: 'Sensitive value in Terraform state',
    family: 'cloud',
    severity: 'high',
    confidence: 'medium',
    byName: (name) => name.endsWith('.tfstate') || name.endsWith('.tfstate.backup'),
    find: findTfstateSecrets,
  },
  {
    id: 'dotenv-secret',
    title: 'Secret in .env file',
    family: 'generic',
    severity: 'high',
    confidence: 'medium',
    byName: (name) => /^\.env(?:\.|$)|\.env$/.test(name) && !/\.(?:example|sample|template|dist|defaults?)$/.test(name),
    find(text, emit, deadline) {
      const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s#]*))/gm;
      forEachMatch(re, text, (m) => {
        // `CDP_API_KEY_ID`, `GITHUB_APP_PRIVATE_KEY_PATH`: the key names a secret's id or place.
        if (!SECRET_KEY.test(m[1]!) || isMetadataKey(m[1]!)) return;
        const value = m[2] ?? m[3] ?? m[4] ?? '';
        if (!looksSecret(value)) return;
        const start = m.index + m[0].length - value.length - (m[4] === undefined ? 1 : 0);
        emit(value, start, start + value.length, entropyOf(value) >= 3.5 ? 'high' : 'medium');
      }, deadline);
    },
  },
  {
    id: 'config-secret',
    title: 'Password or secret in configuration file',
    family: 'generic',
    severity: 'medium',
    confidence: 'low',
    byName: (name) => /\.(?:json|ya?ml|ini|cfg|conf|properties|toml)$/i.test(name),
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'credential', 'auth'],
    needBoth: true,
    find(text, emit, deadline) {
      // "key": "value" (JSON), key: value (YAML), key = value (INI/TOML/properties)
      // The key must mention a secret word, so the regex (native) rejects most lines itself.
      const re = /^[ \t]*(?:-[ \t]+)?["']?((?=[A-Za-z_])[A-Za-z0-9_.-]*?(?:pass|pwd|secret|token|key|credential|auth)[A-Za-z0-9_.-]*)["']?[ \t]*[:=][ \t]*(?:"([^"\\\r\n]*)"|'([^'\r\n]*)'|([^\s"',#{}[\]][^\s"',#]*))[ \t]*,?[ \t]*$/gim;
      forEachMatch(re, text, (m) => {
        if (!SECRET_KEY.test(m[1]!)) return;
        const value = m[2] ?? m[3] ?? m[4] ?? '';
        if (!looksSecret(value)) return;
        const start = m.index + m[0].lastIndexOf(value);
        emit(value, start, start + value.length, entropyOf(value) >= 4 ? 'medium' : 'low');
      }, deadline);
    },
  },
  {
    id: 'putty-private-key',
    title: 'PuTTY private key',
    family: 'crypto',
    severity: 'high',
    confidence: 'high',
    keywords: ['putty-user-key-file-'],
    find(text, emit, deadline) {
      const re = /PuTTY-User-Key-File-\d+:[^\r\n]*\r?\nEncryption:[ \t]*(\S+)[\s\S]{0,8192}?Private-Lines:[ \t]*(\d+)\r?\n((?:[A-Za-z0-9+/=]+\r?\n?){1,64})/g;
      forEachMatch(re, text, (m) => {
        const body = m[3]!.trimEnd();
        // An encrypted key still needs its passphrase: report it, with less urgency.
        emit(body, m.index, m.index + m[0].trimEnd().length, m[1] === 'none' ? 'high' : 'low');
      }, deadline);
    },
  },
];

// `\d{0,3}`: numbered keys (`refresh_token1`, `API_KEY_2`, `DB_PASSWORD2`) are secrets too.
const SECRET_KEY =
  /(?:^|[_.-]|[a-z](?=[A-Z]))(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|apikey|private[_.-]?key|access[_.-]?key|secret[_.-]?key|auth[_.-]?token|credentials?|client[_.-]?secret|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key)\d{0,3}(?:$|[_.-]|[A-Z])/i;

/**
 * Kubernetes `kind: Secret` manifests (YAML, one or more documents): each `data:` value is
 * base64 and is decoded; the finding sits on the encoded text and names the key. `stringData:`
 * values are plain. A value counts when its key names a secret and the value passes the
 * generic checks (not a placeholder, some strength), or when it looks machine-made whatever the
 * key (`username: admin`, `host: db.internal` do not count). Multi-line values (certificates,
 * whole config files) are left to the other detectors, which also look inside base64.
 */
function findKubernetesSecrets(text: string, emit: Emit, deadline: Deadline, veto: Veto): void {
  for (const doc of yamlDocuments(text)) {
    deadline.tick();
    if (/^kind[ \t]*:[ \t]*["']?SealedSecret["']?[ \t]*(?:#.*)?\r?$/m.test(doc.text)) {
      vetoSealed(doc, veto, deadline);
      continue;
    }
    if (!/^["']?kind["']?[ \t]*:[ \t]*["']?Secret["']?[ \t]*(?:#.*)?$/m.test(doc.text)) continue;
    const section = /^(data|stringData)[ \t]*:[ \t]*(?:#.*)?\r?$/gm;
    forEachMatch(section, doc.text, (s) => {
      const encoded = s[1] === 'data';
      // The section's entries: lines indented deeper than column 0, up to the next top-level line.
      const from = s.index + s[0].length;
      const next = /^[^ \t\r\n#]/m.exec(doc.text.slice(from + 1));
      const body = doc.text.slice(from, next ? from + 1 + next.index : doc.text.length);
      const entry = /^([ \t]+)(?:"([^"\r\n]{1,253})"|'([^'\r\n]{1,253})'|([A-Za-z0-9._-]{1,253}))[ \t]*:[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"'#|>][^\s#]*))[ \t]*(?:#.*)?\r?$/gm;
      let indent: string | undefined;
      forEachMatch(entry, body, (e) => {
        indent ??= e[1];
        if (e[1] !== indent) return; // nested deeper: not an entry of this section
        const key = e[2] ?? e[3] ?? e[4]!;
        const value = e[5] ?? e[6] ?? e[7] ?? '';
        const start = doc.start + from + e.index + e[0].lastIndexOf(value);
        if (value === '') return;
        let plain = value;
        if (encoded) {
          const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0 ? printableText(Buffer.from(value, 'base64')) : undefined;
          if (decoded === undefined || decoded.includes('\n')) return; // binary or a whole file: other detectors look inside
          plain = decoded;
        }
        if (kubernetesSecretValue(key, plain).status === 'invalid') {
          if (encoded) veto(start, start + value.length);
          return;
        }
        emit(plain, start, start + value.length, undefined, { key });
      }, deadline);
    }, deadline);
  }
}

/**
 * Bitnami SealedSecret: `spec.encryptedData` values are ciphertext only the cluster's controller
 * can open; no detector should take them for a password or token.
 */
function vetoSealed(doc: { text: string; start: number }, veto: Veto, deadline: Deadline): void {
  const section = /^([ \t]*)encryptedData[ \t]*:[ \t]*\r?$/gm;
  forEachMatch(section, doc.text, (s) => {
    const line = /^([ \t]*)([^\r\n]*?)\r?$/gm;
    const entry = /^[^:\r\n]{1,253}:[ \t]*["']?([A-Za-z0-9+/=]{16,})["']?[ \t]*\r?$/;
    forEachMatch(line, doc.text, (l) => {
      if (l[2]!.trim() === '') return;
      if (l[1]!.length <= s[1]!.length) return false; // the section ended
      const e = entry.exec(l[2]!);
      if (!e) return;
      const start = doc.start + l.index + l[0].lastIndexOf(e[1]!);
      veto(start, start + e[1]!.length);
    }, deadline, s.index + s[0].length + 1);
  }, deadline);
}

/** Whether a Secret's (decoded) value under `key` is secret-like; see findKubernetesSecrets. */
export function kubernetesSecretValue(key: string, value: string): Validation {
  const reason = decoyReason(value, key);
  if (reason) return { status: 'invalid', note: reason };
  if (/[^\x20-\x7e]/.test(value)) return { status: 'invalid', note: 'not printable ASCII' };
  const kind = classifyKey(key);
  if (kind) return checkStrength(kind, value, key);
  // Host names, e-mail addresses and dotted identifiers are configuration, not credentials.
  const named = /^[A-Za-z0-9_+-]{1,64}(?:[.@][A-Za-z0-9_-]{1,63}){1,10}$/.test(value) && /[a-z]{2,}$/i.test(value);
  return !named && looksRandom(value, 16) ? { status: 'unknown' } : { status: 'invalid', note: `key "${key}" does not name a secret and the value does not look random` };
}

/** YAML documents of a stream (split at `---` lines), with their offsets. */
function yamlDocuments(text: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  const sep = /^---[ \t]*(?:#.*)?\r?$/gm;
  let at = 0;
  forEachMatch(sep, text, (m) => {
    out.push({ text: text.slice(at, m.index), start: at });
    at = m.index + m[0].length;
  });
  out.push({ text: text.slice(at), start: at });
  return out;
}

function looksSecret(value: string): boolean {
  if (value.length < 8 || value.length > 500 || isPlaceholder(value)) return false;
  if (/\s/.test(value)) return false; // prose, not a credential
  if (/[^\x20-\x7e]/.test(value) || nameReason(value) !== undefined) return false; // localized text, file names, coordinates
  if (/^(?:https?:)?\/\/|^\/|^\.\.?\//.test(value)) return false; // URLs and paths: url-credentials handles user:pass@
  if (/^[A-Za-z]+(?:[_.-][A-Za-z]+)*(?:[_.-]?\d{1,6})?$/.test(value)) return false; // words and `name-42` references
  // Dates and times (`token_expires_at: 2026-12-01T10:00:00Z`): metadata about a token, never the token.
  if (/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return false;
  const classes = (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/[0-9]/.test(value) ? 1 : 0) + (/[^A-Za-z0-9]/.test(value) ? 1 : 0);
  return classes >= 2 && entropyOf(value) >= 3;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** RFC 3986 scheme characters: letters, digits, `+`, `-`, `.`. */
function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

function findUrlCredentials(text: string, emit: Emit, deadline: Deadline): void {
  const tail = /([^\s:@/?#"'<>`\\]{1,128}):([^\s@/?#"'<>`\\]{1,256})@(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]{0,252})/y;
  for (let i = text.indexOf('://'); i !== -1; i = text.indexOf('://', i + 3)) {
    deadline.tick();
    let s = i;
    while (s > 0 && s > i - 32 && isSchemeChar(text.charCodeAt(s - 1))) s--;
    if (s === i || !isLetter(text.charCodeAt(s))) continue;
    const m = matchAt(tail, text, i + 3);
    if (!m) continue;
    const raw = m[2]!;
    let password = raw;
    try {
      password = decodeURIComponent(raw);
    } catch {
      // not percent-encoded after all: keep the raw text
    }
    if (isPlaceholder(password) || (isPlaceholder(m[1]!) && password.length < 6)) continue;
    // `postgres:postgres@db`, `guest:guest@rabbit`: an image's default account, not a chosen secret.
    if (password === m[1]) continue;
    const host = m[3]!.toLowerCase();
    const start = i + 3 + m[1]!.length + 1;
    const demo = /^(?:localhost|127\.|0\.0\.0\.0|example\.|.*\.example(?:\.|$)|host$|hostname$)/.test(host);
    emit(password, start, start + raw.length, demo || password.length < 6 ? 'low' : 'medium');
  }
}

/** The line around [start, end), at most LINE_REACH characters to each side: a bounded look however long the line. */
const LINE_REACH = 1024;
function lineAround(text: string, start: number, end: number): string {
  const from = Math.max(0, start - LINE_REACH);
  const to = Math.min(text.length, end + LINE_REACH);
  const before = text.slice(from, start);
  const after = text.slice(end, to);
  const nl = after.indexOf('\n');
  return before.slice(before.lastIndexOf('\n') + 1) + text.slice(start, end) + (nl === -1 ? after : after.slice(0, nl));
}

function decodeBase64Text(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  return printableText(Buffer.from(value, 'base64'));
}

export const CONTAINER_METAS: readonly ContainerMeta[] = CONTAINERS.map(({ id, title, family, severity, confidence }) => ({
  id,
  title,
  family,
  severity,
  confidence,
}));

/** Keyword sets for the engine's prefilter: a container runs when one of its keywords occurs. */
export const CONTAINER_KEYWORDS: ReadonlyArray<{ id: string; keywords: readonly string[] }> = CONTAINERS.filter((c) => c.keywords).map((c) => ({
  id: c.id,
  keywords: c.keywords!,
}));

/**
 * Container findings in `text` of the file `path` (repo-relative or a display name).
 * `active`: ids whose keywords occur, from the engine's prefilter; computed here when absent.
 */
export function findContainerSecrets(
  text: string,
  path: string,
  active?: ReadonlySet<string>,
  deadline: Deadline = Deadline.none(),
  vetoed: Array<[number, number]> = [],
): SecretMatch[] {
  const name = basename(path);
  let lowered: string | undefined;
  const hasKeyword = (c: Container): boolean => {
    if (!c.keywords) return false;
    if (active) return active.has(c.id);
    lowered ??= text.toLowerCase();
    return c.keywords.some((k) => lowered!.includes(k));
  };
  const out: SecretMatch[] = [];
  for (const c of CONTAINERS) {
    const named = c.byName?.(name) === true;
    const runs = c.needBoth ? named && hasKeyword(c) : named || hasKeyword(c);
    if (!runs) continue;
    const prev = deadline.enter(`container ${c.id}`);
    c.find(
      text,
      (secret, start, end, confidence, properties) => {
        out.push({
          detectorId: c.id,
          secret,
          start,
          end,
          confidence: confidence ?? c.confidence,
          severity: c.severity,
          validation: properties ? { status: 'unknown', properties } : { status: 'unknown' },
        });
      },
      deadline,
      (start, end) => vetoed.push([start, end]),
    );
    deadline.leave(prev);
  }
  return out;
}
