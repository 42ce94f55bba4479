/**
 * Decoy filters: values that sit where a secret would but are placeholders, templates,
 * references to a secret store, identifiers, hashes or test fixtures. Shaped provider tokens use
 * `plausibleToken`; the generic key=value detectors use `genericValue`, which also decides from
 * the key's words whether the key names a secret at all.
 */
import { charClasses, longestRun, longestSequence, looksRandom, shannonEntropy } from '../entropy.js';
import type { Validation } from '../types.js';

const PLACEHOLDER_MARKERS =
  /example|placeholder|redacted|dummy|sample|changeme|change_me|changeit|your[_-]?(?:api|key|token|secret|pass|own)|xxxxx|\*\*\*|insert[_-]?(?:key|token|here)|replace[_-]?me|<[a-z_ -]{1,40}>/i;

/**
 * Default check for shaped tokens without a checksum: rejects hand-typed fakes such as
 * `sk_live_abcdefghijklmnopqrstuvwx`, `...EXAMPLE...` or a run of one character.
 */
export function plausibleToken(secret: string): Validation {
  if (PLACEHOLDER_MARKERS.test(secret)) return { status: 'invalid', note: 'placeholder text' };
  if (longestRun(secret) >= 8) return { status: 'invalid', note: 'long run of one character' };
  if (longestSequence(secret) >= 7) return { status: 'invalid', note: 'keyboard or alphabet sequence' };
  return { status: 'unknown' };
}

/**
 * Well-known vendor prefixes. A generic key=value hit whose value starts with one is that
 * vendor's token in a shape its own detector rejected (truncated, bad checksum) or a public key
 * (`pk.`, `pk_live_`): not the generic detectors' business.
 */
const VENDOR_PREFIX =
  /^(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|agent|oas|ffct)-|glc_|glsa_|npm_|pypi-|AKIA|ASIA|AIza|ya29\.|GOCSPX-|[sr]k_(?:live|test)_|pk_(?:live|test)_|whsec_|xox[abposre][.-]|xapp-|SG\.|hf_|api_org_|gsk_|r8_|pplx-|sk-(?:proj|ant|svcacct|admin|or|lf)-|do[por]_v1_|dp\.(?:pt|st|sa|said|ct|scim|audit)\.|cf(?:k|ut|at)_|packagist_[a-z]{3}_|hv[sbr]\.|shp(?:at|ca|pa|ss)_|lin_(?:api|oauth)_|PMAK-|dckr_[po]at_|sntry[su]_|NRAK-|NRJS-|NRI[IQ]-|figd_|ATATT3|ATBB|[ps]k\.eyJ|sbp_|sb_secret_|pscale_|dapi|rubygems_|CLOJARS_|AKCp|FLWSECK|sq0(?:atp|csp)-|EAAA|HRKU-|CCIP(?:AT|RJ)_|bkua_|pul-|sq[pua]_|nvapi-|xai-|pcsk_|lsv2_|phx_|rnd_|ntn_|secret_|tfp_|CFPAT-|pnu_|rdme_|fio-u-|EZ[AT]K|shippo_|duffel_|xkeysib-|xsmtpsib-|AGE-SECRET-KEY-|tskey-|tk-us-|dd[po]_|ABSK|bedrock-api-key-|BBDC-|eyJ)/;

/** Templates and expressions: `${VAR}`, `{{ x }}`, `$(cmd)`, `$VAR`, `%s`, `%(name)s`, `<value>`, `#{x}`, `<%= x %>`, `@VAR@`, `!Ref x`, `!!flag`. */
const TEMPLATE = /^!|\$\{|\{\{|\}\}|\$\(|^\$[A-Za-z_]|%\(?[A-Za-z_]*\)?[sdvr]$|^%[A-Za-z_]+%$|^<.*>$|^\[.*\]$|^\{.*\}$|#\{|<%|^@[A-Za-z_]+@$|^\{\d\}$/;
/** References to where the secret really lives: environment, secret managers, config objects. */
const REFERENCE =
  /process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|System\.getenv|GetEnvironmentVariable|ENV\[|ENV\.fetch|\benv\(|\bsecrets\.|\bvars\.|\bsettings\.|\bconfig\.|\bparams\.|\bargs\.|\bopts\.|\boptions\.|\bself\.|\bthis\.|\bvault:|\bref\+|!Ref|resolve:|arn:aws:|secretsmanager|\bssm:|op:\/\/|keyvault|secretKeyRef|valueFrom|\.get\(|\.fetch\(/i;
const TEST_MARKERS = /test|mock|fake|dummy|example|sample|fixture|stub|placeholder/i;
const HASHLIKE = /^(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64}|[a-f0-9]{128})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]{0,100}(?:[?!]?\.[A-Za-z_$][A-Za-z0-9_$]{0,100}){0,8}$/;
const WORDY = /^[A-Za-z]{1,40}(?:[ _.-][A-Za-z]{1,40}){0,6}$/;
const COMMON_VALUES = new Set([
  'password', 'passwd', 'secret', 'changeme', 'changeit', 'admin', 'root', 'guest', 'postgres', 'mysql', 'redis',
  'mongo', 'mongodb', 'rabbitmq', 'default', 'letmein', 'qwerty', 'welcome', 'none', 'null', 'nil', 'true', 'false',
  'undefined', 'empty', 'required', 'optional', 'string', 'value', 'token', 'apikey', 'api_key', 'hidden', 'masked',
  'sa', 'user', 'username', 'pass', 'pwd', 'test', 'testing', 'demo', 'local', 'localhost', 'development', 'dev',
  'prod', 'production', 'staging', 'docker', 'vagrant', 'ubuntu', 'airflow', 'keycloak', 'minioadmin', 'neo4j',
  'password1', 'password123', 'admin123', 'secret123', 'p@ssw0rd', 'passw0rd', 'hunter2', '123456', '12345678',
  // Weak example passwords of documentation and tests (found in rails, ansible, cargo: bench/RESULTS.md).
  'abc123', '123abc', 'q1w2e3', '1q2w3e', 'qwe123', 'hunter', 'opensesame',
]);

/** Password hashes in crypt format: bcrypt, sha-crypt, yescrypt, scrypt, argon2, PBKDF2 (`$2b$12$...`, `$argon2id$v=19$...`). */
const PASSWORD_HASH = /^\$(?:2[abxy]?|5|6|7|y|gy|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d{1,3})?|sha\d{1,3})\$[^\s]{8,}$/;
/** Ciphertext that needs a key held elsewhere: SOPS `ENC[AES256_GCM,...]`, Ansible Vault, Bitnami sealed secrets (`Ag` + 300+ base64). */
const ENCRYPTED = /^ENC\[(?:AES256_GCM|PGP|KMS)[,\]]|^\$ANSIBLE_VAULT;|^Ag[A-Za-z0-9+/]{300,}={0,2}$/;
/** A file name with a content hash (`video_box.ico-3f9a...png`, `logo.5d41402a.svg`). */
const FILE_NAME = /^[\w.-]{1,200}\.(?:png|jpe?g|gif|svg|ico|webp|avif|bmp|css|s[ac]ss|js|mjs|cjs|map|woff2?|ttf|otf|eot|json|html?|xml|txt|md|pdf|zip|gz|tgz|wasm|mp[34]|webm)$/i;
/** Maven/Gradle coordinates `group:artifact[:version]` (`org.springframework:spring-core:6.1.0`). */
const MAVEN_COORDINATES = /^[a-z][a-z0-9_-]{0,60}(?:\.[a-z0-9_-]{1,60}){1,10}:[a-z][a-z0-9_.-]{0,100}(?::\d[A-Za-z0-9_.+-]{0,60}){0,1}(?::[a-z][a-z0-9_-]{0,30}){0,2}$/;
/** Pointer dereference or address-of an identifier in code (`*s3ScanSessionToken`, `&cfg.ApiKey`). */
const DEREFERENCE = /^[*&]{1,2}[A-Za-z_$][\w$]{0,100}(?:\.[A-Za-z_$][\w$]{0,100}){0,8}$/;

/** A camelCase identifier of real words (`base64PrivateKey`): a variable, not a value. */
export function camelIdentifier(v: string): boolean {
  if (!/^[a-z][a-z0-9]{1,30}(?:[A-Z][a-z0-9]{1,30}){1,8}$/.test(v)) return false;
  const parts = v.split(/(?=[A-Z])/).map((p) => p.replace(/\d+/g, ''));
  // The first part may be a short prefix (`s3Bucket`, `x509Cert`); the others must be words.
  return parts.length >= 3 ? parts.slice(1).every((p) => p.length >= 3 && /[aeiouy]/i.test(p)) : parts.every((p) => p.length >= 3 && /[aeiouy]/i.test(p));
}

/** Why a value is derived from a secret rather than being one (hash, ciphertext), or undefined. */
export function derivedValueReason(v: string): string | undefined {
  if (PASSWORD_HASH.test(v)) return 'password hash';
  if (ENCRYPTED.test(v)) return 'encrypted value (SOPS, Ansible Vault or sealed secret)';
  return undefined;
}

/** Why a value is a name rather than a secret (file name, Maven coordinates, pointer expression), or undefined. */
export function nameReason(v: string): string | undefined {
  if (FILE_NAME.test(v)) return 'file name';
  if (MAVEN_COORDINATES.test(v)) return 'Maven coordinates';
  if (DEREFERENCE.test(v)) return 'pointer or reference expression';
  return undefined;
}

/** Words of an identifier: `DB_PASSWORD` → db,password; `apiKeyId` → api,key,id; `X-API-Key` → x,api,key. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]{1,100})([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]{1,10}/)
    .filter(Boolean);
}

export type GenericKind = 'password' | 'api-key' | 'secret' | 'token';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passphrase', 'pword', 'passcode']);
/** `pass` and `pwd` are also verbs and directories: only a password as the key's last word (`DB_PASS`). */
const SHORT_PASSWORD_WORDS = new Set(['pass', 'pwd', 'pw']);
const KEY_QUALIFIERS = new Set(['api', 'access', 'app', 'subscription', 'consumer', 'master', 'admin', 'service', 'secret', 'private', 'signing', 'encryption', 'hmac', 'auth', 'license', 'client', 'server', 'routing', 'integration', 'ingest', 'sdk', 'write', 'personal', 'deploy', 'management']);
/** A key ending in one of these describes a secret rather than holding it. */
const METADATA_LAST = new Set([
  'hash', 'hashed', 'digest', 'sha', 'sha1', 'sha256', 'sha512', 'md5', 'checksum', 'salt', 'length', 'len', 'size',
  'min', 'max', 'policy', 'policies', 'field', 'label', 'hint', 'regex', 'pattern', 'prompt', 'file', 'filename',
  'path', 'dir', 'url', 'uri', 'endpoint', 'name', 'id', 'ids', 'type', 'format', 'version', 'header', 'param',
  'env', 'var', 'ref', 'expires', 'expiry', 'expiration', 'ttl', 'timeout', 'count', 'enabled', 'required',
  'rotation', 'arn', 'location', 'provider', 'store', 'manager', 'mgr', 'mode', 'method', 'style', 'strategy', 'class',
  'kind', 'source', 'template', 'description', 'desc', 'text', 'title', 'validator', 'validation', 'reset', 'error',
  'errors', 'message', 'msg', 'input', 'placeholder', 'visible', 'changed', 'updated', 'created', 'at', 'prefix',
  'suffix', 'scope', 'scopes', 'audience', 'issuer', 'alg', 'algorithm', 'usage', 'mask', 'masked', 'redacted',
]);
const METADATA_FIRST = new Set(['csrf', 'xsrf', 'authenticity', 'public', 'publishable', 'pub', 'next', 'page', 'cursor', 'continuation', 'max', 'min', 'num', 'total', 'is', 'has', 'use', 'show', 'forgot', 'reset', 'hide', 'toggle', 'old', 'verify', 'check', 'validate', 'get', 'set', 'on', 'handle']);

/** True when the key describes a secret rather than holding one (`token_url`, `password_hash`, `app_id`). */
export function isMetadataKey(key: string): boolean {
  const w = keyWords(key);
  // `HTTPPasswordMgrWithDefaultRealm`: a class named after a password manager, wherever `Mgr` sits.
  if (w.includes('mgr')) return true;
  return w.length > 0 && (METADATA_LAST.has(w[w.length - 1]!) || METADATA_FIRST.has(w[0]!));
}

/** Which kind of secret a key names, or undefined when it names none (or names metadata). */
export function classifyKey(key: string): GenericKind | undefined {
  // Numbered keys (`refresh_token1`, `DB_PASSWORD2`) name the same kind as without the number.
  const w = keyWords(key).map((x) => (/^[a-z]{3,}\d{1,3}$/.test(x) && !METADATA_LAST.has(x) ? x.replace(/\d+$/, '') : x));
  // Message ids and sentences (`the_0_token_here_1007`) are not configuration keys.
  if (w.length === 0 || w.length > 6 || isMetadataKey(key)) return undefined;
  if (w.some((x) => PASSWORD_WORDS.has(x) || x.endsWith('password') || x.endsWith('passwd')) || SHORT_PASSWORD_WORDS.has(w[w.length - 1]!)) return 'password';
  if (w.some((x) => x === 'secret' || x.endsWith('secret') || x === 'secrets')) return 'secret';
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    if (x === 'apikey' || x === 'apikeys' || x === 'accesskey' || x === 'appkey') return 'api-key';
    if (x === 'key' && i > 0 && KEY_QUALIFIERS.has(w[i - 1]!)) return w[i - 1] === 'api' || w[i - 1] === 'access' || w[i - 1] === 'app' ? 'api-key' : 'secret';
  }
  if (w.some((x) => x === 'token' || (x.endsWith('token') && x.length > 5) || x === 'bearer') || w[w.length - 1] === 'pat') return 'token';
  return undefined;
}

/** Why a value is not a secret, or undefined when it may be one. */
/** Words that dress up example passwords (`VeryStrongPasswordHere!`, `customPass`, `42password`). */
const EXAMPLE_WORDS = new Set(
  ('a i my your our the some custom bad good wrong right new old cache db test dev admin user root bob alice very really strong weak ' +
    'another super amazing here value word secret sekret pass password token default sample dummy fake mock demo app api ' +
    'service vault become sudo ssh mail email login auth access key valid invalid real other second first one two foo bar baz ' +
    'hello world change me it is not s ok').split(' '),
);

/** True when `s` is empty or a concatenation of EXAMPLE_WORDS. */
function wordsOnly(s: string): boolean {
  const ok: boolean[] = [true];
  for (let i = 1; i <= s.length; i++) {
    ok[i] = false;
    for (let j = Math.max(0, i - 9); j < i && !ok[i]; j++) ok[i] = ok[j]! && EXAMPLE_WORDS.has(s.slice(j, i));
  }
  return ok[s.length]!;
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890'];

/** `abcdef`, `54321`, `qwerty`: an alphabet, digit or keyboard run (case-insensitive). */
function sequential(s: string): boolean {
  const l = s.toLowerCase();
  return l.length >= 3 && (longestSequence(l) === l.length || KEYBOARD_ROWS.some((row) => row.includes(l)));
}

/**
 * Example passwords that no generator writes, shared by the key=value detectors and the
 * container detectors (URLs, docker auth): a word around "password"/"pass"/"secret"/"token",
 * also spelt with look-alike symbols (`P@ssw0rd!`, `B0bP4ssw0rd`, `42password`, `customPass`,
 * `tokenvalue`); a numbered default word (`password12345`); an interleaved letter-digit run
 * (`A1B2C3D4E5`, `q1w2e3`). Found as false positives on public repositories (bench/RESULTS.md).
 */
export function exampleValueReason(value: string): string | undefined {
  const v = value.trim();
  if (v.length > 32) return undefined;
  const leet = unLeet(v.toLowerCase());
  const parts = /^([a-z]{0,16}?)(?:password|passwd|passw|pass|pwd|secret|sekret|token)([a-z]{0,16})$/.exec(leet.replace(/[^a-z]/g, ''));
  // Only when what surrounds the word is made of words too (`VeryStrong`, `Here`, `my`, `custom`):
  // `Pa55w0rdZk91` has a random tail and may well be someone's real password.
  if (parts && (leet.match(/[0-9]/g)?.length ?? 0) <= 3 && wordsOnly(parts[1]!) && wordsOnly(parts[2]!)) return 'placeholder word';
  const numbered = /^(?<stem>.*?)[-_]?\d{1,6}[!.#]?$/.exec(v.toLowerCase())?.groups?.['stem'];
  if (numbered && COMMON_VALUES.has(numbered)) return 'default or placeholder word';
  const interleaved = /^(?:[A-Za-z][0-9]){3,}[A-Za-z]?$|^(?:[0-9][A-Za-z]){3,}[0-9]?$/.test(v);
  if (interleaved && sequential(v.replace(/[0-9]/g, '')) && sequential(v.replace(/[^0-9]/g, ''))) return 'interleaved letter and digit sequence';
  return undefined;
}

export function decoyReason(value: string, key = ''): string | undefined {
  // `secretpassword\n` (a string escape at the end), `{bcrypt}$2a$...` / `{noop}secret` (Spring's
  // DelegatingPasswordEncoder id): judge the value without them.
  const v = value.trim().replace(/(?:\\[nrt])+$/, '').replace(/^\{[a-z0-9_-]{1,20}\}(?=.)/i, '');
  if (v.length === 0) return 'empty';
  const derived = derivedValueReason(v);
  if (derived) return derived;
  if (TEMPLATE.test(v)) return 'template or variable';
  if (DEREFERENCE.test(v)) return 'pointer or reference expression';
  if (REFERENCE.test(v)) return 'reference to an environment variable or secret store';
  if (PLACEHOLDER_MARKERS.test(v)) return 'placeholder';
  if (longestRun(v) >= Math.max(5, v.length / 2)) return 'repeated characters';
  if (COMMON_VALUES.has(v.toLowerCase())) return 'default or placeholder word';
  // `secret1`, `password_2`, `admin123`: a default word numbered for a test row, not a credential.
  const numbered = /^(?<stem>.*?)[-_]?\d{1,4}$/.exec(v.toLowerCase())?.groups?.['stem'];
  if (numbered && COMMON_VALUES.has(numbered)) return 'default or placeholder word';
  // `pa$$word`, `s3cr3t`: the same default words spelt with look-alike symbols.
  if (COMMON_VALUES.has(unLeet(v.toLowerCase()))) return 'default or placeholder word';
  // `somepassword`, `authpassword`, `mysecret`: lower-case words around "password"; no generator writes these.
  if (/^[a-z]{0,16}(?:password|passwd|secret)[a-z]{0,16}$/.test(v)) return 'placeholder word';
  // `data[0].secret`, `items[2].token`: a property path (a redaction or lookup list), not a value.
  if (/^[A-Za-z_$][\w$]{0,60}(?:\[\d{1,6}\]|\.[A-Za-z_$][\w$]{0,60}){1,10}$/.test(v) && /\[\d{1,6}\]/.test(v)) return 'property path';
  // Two or more words separated by spaces: a message or label, not a credential.
  if (/\s/.test(v) && v.split(/\s+/).filter((w) => /^[*_"'([]{0,3}[\p{L}]{2,}[.,!?:;…"')*_\]]*$/u.test(w)).length >= 2) return 'prose';
  // `Password: `, `password?`, `<Password>`: a label or prompt, not a value.
  const letters = v.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  if (letters !== v.toLowerCase() && (COMMON_VALUES.has(letters) || (key !== '' && letters === key.replace(/[^A-Za-z0-9]/g, '').toLowerCase()))) return 'label or prompt';
  const example = exampleValueReason(v);
  if (example) return example;
  // `::ControllerMethods` (the key was `Token::...`), `std::sync::OnceLock`, `Parser::createKeySpec`: a scope path in code.
  if (/^:{1,2}[A-Za-z_][\w$]{0,100}$|^[A-Za-z_][\w$]{0,100}(?:::[A-Za-z_][\w$]{0,100}){1,10}$/.test(v)) return 'scope path in code';
  // `'--ask-vault-password', '--ask-vault-pass'`: a command-line option name.
  if (/^--?[a-z][a-z0-9]{0,40}(?:-[a-z0-9]{1,40}){0,8}$/.test(v)) return 'command-line option';
  // `password: debug2: channel ...` (a log line), `Password:` (a prompt).
  if (/^[A-Za-z][\w.-]{0,40}:$/.test(v)) return 'label';
  if (VENDOR_PREFIX.test(v)) return 'another vendor\'s token format';
  // `token = "9cbaf023786cd7..."`: a documentation example cut short.
  if (/(?:\.\.\.|…)$/.test(v)) return 'truncated example';
  if (TEST_MARKERS.test(key) || TEST_MARKERS.test(v)) return 'test fixture';
  if (UUID.test(v.replace(/^urn:uuid:/i, ''))) return 'UUID (an identifier)';
  if (HASHLIKE.test(v) && /hash|sha|md5|digest|checksum|integrity|commit|etag|fingerprint|sum$/i.test(key)) return 'hash';
  if (/^[0-9.:-]{1,40}$/.test(v)) return 'number, date or version';
  // CONSTANT_CASE, snake_case or kebab-case names (`SRC_ACCESS_TOKEN`, `api-token`) name a value.
  if (/^[A-Z][A-Z0-9]{0,30}(?:_[A-Z0-9]{1,30}){1,8}$|^[a-z][a-z0-9]{0,30}(?:[-_][a-z0-9]{1,30}){1,8}$/.test(v)) return 'identifier name';
  if (/^(?:[a-z][a-z0-9+.-]{1,20}):\/\//i.test(v) || /^[A-Za-z]:\\/.test(v)) return 'URL';
  if (FILE_NAME.test(v)) return 'file name';
  if (MAVEN_COORDINATES.test(v)) return 'Maven coordinates';
  // Paths are word segments; base64 may start with `/` too, but is random and has `+` or `=`.
  if (/^(?:\.{0,2}|~)\/[A-Za-z0-9._-]{0,100}(?:\/[A-Za-z0-9._-]{0,100}){0,20}$/.test(v) && !looksRandom(v)) return 'path';
  if (longestSequence(v.toLowerCase()) >= 6) return 'keyboard or alphabet sequence';
  return undefined;
}

/** Look-alike symbols back to the letters they stand for (`p@$$w0rd` -> `password`). */
function unLeet(v: string): string {
  return v.replace(/[@4$05!13+]/g, (c) => ({ '@': 'a', '4': 'a', $: 's', '5': 's', '0': 'o', '!': 'i', '1': 'i', '3': 'e', '+': 't' })[c] ?? c);
}

/** The whole identifier a generic match's key belongs to: the regex starts mid-identifier. */
export function fullKey(match: RegExpExecArray): string {
  let i = match.index;
  while (i > 0 && match.index - i < 60 && /[A-Za-z0-9_.-]/.test(match.input[i - 1]!)) i--;
  return match.input.slice(i, match.index) + (match.groups?.['key'] ?? '');
}

/**
 * Validator for the generic key=value detectors. Passwords are chosen by people, so they only
 * need to not be decoys and have some variety; keys, tokens and secrets are machine-made and
 * must look random. The key must name a secret of the detector's kind (`password_hash`,
 * `token_url`, `max_tokens` do not).
 */
export function genericValue(kind: GenericKind) {
  return (secret: string, match: RegExpExecArray): Validation => {
    const key = fullKey(match);
    if (match.groups?.['sep'] === ',') {
      // `("KEY", "value")`: the key must be a whole quoted string, not the end of prose.
      const before = match.input[match.index - (key.length - (match.groups['key'] ?? '').length) - 1];
      const after = match.input[match.index + (match.groups['key'] ?? '').length];
      if (before === undefined || !`"'\``.includes(before) || before !== after) return { status: 'invalid', note: 'comma form needs a quoted key' };
    }
    const keyKind = classifyKey(key);
    if (keyKind !== kind) return { status: 'invalid', note: keyKind ? `key "${key}" is a ${keyKind}` : `key "${key}" does not name a secret` };
    const quoted = (match.groups?.['q'] ?? '') !== '';
    // `{{ lookup('password', '/tmp/passwordfile') }}`: an argument inside a Jinja/Helm expression.
    const lineStart = match.input.lastIndexOf('\n', match.index) + 1;
    const head = match.input.slice(Math.max(lineStart, match.index - 400), match.index);
    if (head.lastIndexOf('{{') > head.lastIndexOf('}}') || head.lastIndexOf('{%') > head.lastIndexOf('%}')) return { status: 'invalid', note: 'inside a template expression' };
    // `password: @user.password`, `vcenter_password: @VMWARE_PASSWORD`: an instance variable or a substitution marker.
    if (!quoted && /^@{1,2}[A-Za-z_][\w.]{0,100}$/.test(secret)) return { status: 'invalid', note: 'instance variable or substitution marker' };
    // `?user=u&password=passwd&dbname=app`: a bare value in a query string ends at the next `&name=`.
    const amp = quoted ? -1 : secret.search(/&[A-Za-z_][\w.-]{0,40}=/);
    if (amp !== -1) {
      const head = secret.slice(0, amp);
      const r = decoyReason(head, key);
      if (r) return { status: 'invalid', note: r };
      const strength = checkStrength(kind, head, key);
      if (strength.status === 'invalid') return strength;
    }
    const reason = decoyReason(secret, key);
    if (reason) return { status: 'invalid', note: reason };
    // Generated credentials are printable ASCII; localized text is not.
    if (/[^\x20-\x7e]/.test(secret)) return { status: 'invalid', note: 'not printable ASCII' };
    // Unquoted identifiers in code are variables (`password = getPassword()`, `token = scanner2.next`);
    // a bare random value (`.env`) is an identifier too but has digits and no dots.
    if (!quoted && match.input[match.index + match[0].length] === '(') return { status: 'invalid', note: 'function call, not a literal' };
    // `eOnePass==ONEPASS_OFF`, `token===null`: the regex took `=` as the assignment, but it is a comparison.
    if (!quoted && match.groups?.['sep'] === '=' && secret.startsWith('=')) return { status: 'invalid', note: 'comparison, not an assignment' };
    // `exports.AuthenticationMD5Password = AuthenticationMD5Password`: the value names the key itself.
    if (!quoted && secret === key.slice(key.lastIndexOf('.') + 1)) return { status: 'invalid', note: 'the key\'s own name, not a literal' };
    if (!quoted && IDENTIFIER.test(secret) && (!/\d/.test(secret) || /[?!]?\./.test(secret))) return { status: 'invalid', note: 'identifier, not a literal' };
    if (!quoted && camelIdentifier(secret)) return { status: 'invalid', note: 'camelCase identifier, not a literal' };
    return checkStrength(kind, secret, key);
  };
}

export function checkStrength(kind: GenericKind, secret: string, key: string): Validation {
  if (kind === 'password') {
    if (secret.length < 6) return { status: 'invalid', note: 'too short' };
    // Plain words are labels and prompts far more often than passphrases.
    if (WORDY.test(secret)) return { status: 'invalid', note: 'plain words' };
    if (charClasses(secret) < 2 && secret.length < 12) return { status: 'invalid', note: 'too simple' };
    if (shannonEntropy(secret) < 2.5) return { status: 'invalid', note: 'low entropy' };
    return { status: 'unknown', note: `assigned to "${key}"` };
  }
  if (!looksRandom(secret, 16)) return { status: 'invalid', note: 'does not look random' };
  return { status: 'unknown', note: `assigned to "${key}"` };
}
