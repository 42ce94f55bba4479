import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { camelIdentifier, classifyKey, decoyReason, keyWords } from './decoys.js';
import { PUBLIC_EXAMPLES, publicExample } from './public-examples.js';
import { createHash } from 'node:crypto';
import { ALNUM, B64, B64URL, checkCase, coverageGaps, Fake, HEX, Rng, type DetectorCase } from './fake.js';
import { GENERIC_DETECTORS } from './generic.js';
import { isPlaceholder } from '../heuristics.js';

const f = new Fake(new Rng(1313));
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const pw = () => `${f.str(ALNUM, 6)}!${f.str(ALNUM, 5)}#`;
const key = () => f.str(ALNUM, 32);

const CASES: DetectorCase[] = [
  {
    id: 'curl-user-password',
    pos: [
      line(pw(), (s) => `curl -u deploybot:${s} https://artifacts.internal.corp/upload`),
      line(pw(), (s) => `curl -fsS --user "ci-user:${s}" -X POST https://api.internal.corp/hook`),
      line(pw(), (s) => `curl --user=builder:${s} -T app.tgz https://files.internal.corp/`),
      line(pw(), (s) => `curl -s \\\n  -ubuilder:${s} \\\n  https://files.internal.corp/`),
      // A `%` not followed by a variable name or a conversion is part of the password.
      line(`${f.str(ALNUM, 9)}%62#`, (s) => `curl -u deploybot:${s} https://artifacts.internal.corp/upload`),
    ],
    neg: [
      'curl -u "$USER:$PASSWORD" https://api.internal.corp',
      'curl -u admin:${ADMIN_PASSWORD} https://api.internal.corp',
      'curl -u user:pass https://example.com',
      'curl -u deploybot https://api.internal.corp',
      'curl -u "api:%s" https://api.internal.corp',
      'curl -u "api:key-%s" https://api.internal.corp',
      'curl -u deploy:%DEPLOY_PASSWORD% https://api.internal.corp',
      'curl -u deploy:pre%DEPLOY_SUFFIX%post https://api.internal.corp',
      `curl --max-time 5 https://u.internal.corp/a:${pw()}`,
      `curlew -u bird:${pw()}`,
    ],
  },
  {
    id: 'ldap-bind-password',
    pos: [line(pw(), (s) => `binddn cn=nslcd,dc=corp,dc=internal\nbindpw ${s}\n`), line(pw(), (s) => `[domain/corp]\nldap_default_authtok = ${s}`)],
    neg: ['bindpw changeme', 'bindpw ${LDAP_BIND_PASSWORD}', '# bindpw <password>', 'ldap_default_authtok_type = password'],
  },
  {
    id: 'wget-password',
    pos: [
      line(pw(), (s) => `wget --user=bob --password=${s} https://files.internal.corp/a.tgz`),
      line(pw(), (s) => `wget -q --http-password "${s}" https://files.internal.corp/a.tgz`),
      line(`${f.str(ALNUM, 9)}%4!`, (s) => `wget --http-user ci-bot --http-password "${s}" -O a.tgz https://files.internal.corp/a.tgz`),
    ],
    neg: ['wget --password="$FILES_PASSWORD" https://files.internal.corp/a.tgz', 'wget --password=%FILES_PASSWORD% https://files.internal.corp/a.tgz', 'wget --password="x%(password)s" https://files.internal.corp/a.tgz', 'wget --ask-password --user bob https://files.internal.corp/', 'wget --password=<password> https://files.internal.corp/'],
  },
  {
    id: 'generic-password',
    pos: [
      line(pw(), (s) => `DB_PASSWORD=${s}`),
      line(pw(), (s) => `  password: "${s}"`),
      line(pw(), (s) => `{"adminPassword": "${s}", "user": "admin"}`),
      line(pw(), (s) => `conn = psycopg2.connect(host="db", user="app", password='${s}')`),
      line(pw(), (s) => `$smtp_pass = '${s}';`),
      line(pw(), (s) => `mysql --user=root --password=${s} shop`),
    ],
    neg: [
      'password = "changeme"',
      'DB_PASSWORD=${DB_PASSWORD}',
      'password: {{ .Values.db.password }}',
      'password = os.environ["DB_PASSWORD"]',
      "password: process.env.DB_PASSWORD",
      'password = getPassword()',
      'const NPM_PASSWORD = withBase62Checksum(prefix, body);',
      'password_hash = "5f4dcc3b5aa765d61d8327deb882cf99"',
      'password_min_length: 12',
      'PASSWORD_FIELD = "password"',
      'passenger: Alice',
      'bypass_cache = true',
      'test_password = "Sup3rS3cret!"',
      "password: '********'",
      'password = "<your password>"',
      'password: $(cat /run/secrets/db)',
      'password = "%s"',
      `password: \${{ secrets.DB_PASSWORD }}`,
      'password: hunter2',
      'password = "correct horse battery"',
    ],
  },
  {
    id: 'generic-api-key',
    pos: [line(key(), (s) => `API_KEY=${s}`), line(key(), (s) => `const apiKey = "${s}";`), line(key(), (s) => `x-api-key: ${s}`), line(f.str(HEX, 40), (s) => `access_key = "${s}"`)],
    neg: [
      'API_KEY=your_api_key_here',
      `api_key_id = "${key()}"`,
      'apiKey: process.env.API_KEY',
      `API_KEY=${f.uuid()}`,
      'api_key = "thisIsNotARandomValueAtAll"',
      'apiKey = "abcdefghijklmnopqrstuvwxyz012345"',
      `public_api_key = "${key()}"`,
      'API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
  {
    id: 'generic-secret',
    pos: [line(key(), (s) => `CLIENT_SECRET=${s}`), line(f.str(B64, 44), (s) => `jwt_secret: "${s}"`), line(key(), (s) => `app.config['SECRET_KEY'] = '${s}'`), line(f.str(B64URL, 40), (s) => `"webhookSecret": "${s}"`)],
    neg: ['client_secret: ${{ secrets.CLIENT_SECRET }}', 'SECRET_NAME=prod/db/password', 'secret: !vault |', `secret_sha256: ${f.str(HEX, 64)}`, 'secretRef: my-secret', 'SECRET_KEY_BASE=development_secret_key_base'],
  },
  {
    id: 'generic-token',
    pos: [line(key(), (s) => `AUTH_TOKEN=${s}`), line(f.str(HEX, 40), (s) => `  access_token: ${s}`), line(key(), (s) => `refreshToken = "${s}"`)],
    neg: ['token: ${{ github.token }}', 'max_tokens: 4096', 'token_url: https://auth.example.org/oauth/token', 'csrf_token = "abcd1234"', 'TOKEN_TYPE=Bearer', `tokenizer = "${key()}"`, 'token = tokenValue'],
  },
  {
    id: 'authorization-basic',
    pos: [line(Buffer.from(`ci-bot:${pw()}`).toString('base64'), (s) => `curl -H "Authorization: Basic ${s}" https://api.example.org`)],
    neg: [`Authorization: Basic ${Buffer.from('user:password').toString('base64')}`, `Authorization: Basic ${Buffer.from('nocolonhere').toString('base64')}`, 'Authorization: Basic $CREDS'],
  },
  {
    id: 'authorization-bearer',
    pos: [line(f.str(B64URL, 40), (s) => `headers = {"Authorization": "Bearer ${s}"}`), line(key(), (s) => `Authorization: Token ${s}`)],
    neg: ['Authorization: Bearer $TOKEN', 'Authorization: Bearer <token>', 'Authorization: Bearer thisIsMyTokenValueForTests'],
  },
  {
    id: 'xml-secret',
    pos: [line(pw(), (s) => `<server><id>nexus</id><username>deploy</username><password>${s}</password></server>`), line(key(), (s) => `<add key="ApiKey">${s}</add><apiKey>${s}</apiKey>`)],
    neg: ['<password>${env.NEXUS_PASSWORD}</password>', '<password>{COQLCE6DU6GtcS5P=}</password>', '<passwordPolicy>strict</passwordPolicy>'],
  },
  {
    id: 'netrc-password',
    pos: [line(pw(), (s) => `machine api.heroku.com\n  login ci@example.org\n  password ${s}\n`)],
    neg: ['machine github.com login user password ${GITHUB_TOKEN}', 'machine example.org login me password changeme'],
  },
];

describe('generic detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(GENERIC_DETECTORS, CASES)).toEqual([]));

  it('leaves provider tokens to provider detectors', () => {
    const t = f.checksummed('ghp_');
    expect(detectSecrets(`token = "${t}"`).map((m) => m.detectorId)).toEqual(['github-pat-classic']);
  });
});

describe('key and value classification', () => {
  it('splits keys into words', () => {
    expect(keyWords('DB_PASSWORD')).toEqual(['db', 'password']);
    expect(keyWords('userPassword')).toEqual(['user', 'password']);
    expect(keyWords('X-API-Key')).toEqual(['x', 'api', 'key']);
    expect(keyWords('APIKey')).toEqual(['api', 'key']);
  });

  it('classifies numbered keys like the unnumbered ones', () => {
    expect(classifyKey('refresh_token1')).toBe('token');
    expect(classifyKey('API_KEY_2')).toBe('api-key');
    expect(classifyKey('DB_PASSWORD2')).toBe('password');
    expect(classifyKey('clientSecret3')).toBe('secret');
    expect(classifyKey('password_sha256')).toBeUndefined();
    expect(classifyKey('token1_url')).toBeUndefined();
    expect(classifyKey('md5')).toBeUndefined();
  });

  it('finds values under numbered keys', () => {
    const t = key();
    const p = pw();
    expect(detectSecrets(`refresh_token1=${t}\nDB_PASSWORD2="${p}"`).map((m) => [m.detectorId, m.secret])).toEqual([
      ['generic-token', t],
      ['generic-password', p],
    ]);
  });

  it('classifies keys by the secret they name', () => {
    expect(classifyKey('MYSQL_ROOT_PASSWORD')).toBe('password');
    expect(classifyKey('client_secret')).toBe('secret');
    expect(classifyKey('privateKey')).toBe('secret');
    expect(classifyKey('apiKey')).toBe('api-key');
    expect(classifyKey('GITHUB_TOKEN')).toBe('token');
    for (const k of ['password_hash', 'token_url', 'max_tokens', 'api_key_id', 'public_key', 'csrf_token', 'secretName', 'passenger', 'bypass']) {
      expect(classifyKey(k), k).toBeUndefined();
    }
  });

  it('names the decoy', () => {
    expect(decoyReason('${VAR}')).toMatch(/template/);
    expect(decoyReason('{{ var }}')).toMatch(/template/);
    expect(decoyReason('$(vault read x)')).toMatch(/template/);
    expect(decoyReason('%s')).toMatch(/template/);
    expect(decoyReason('process.env.X')).toMatch(/reference/);
    expect(decoyReason('os.environ')).toMatch(/reference/);
    expect(decoyReason('xxxxxxxxxxxx')).toMatch(/repeated|placeholder/);
    expect(decoyReason('***')).toMatch(/placeholder|repeated/);
    expect(decoyReason('changeme')).toMatch(/placeholder/);
    expect(decoyReason('my-dummy-key')).toMatch(/placeholder/);
    expect(decoyReason(f.uuid())).toMatch(/UUID/);
    expect(decoyReason(f.str(HEX, 40), 'commit_sha')).toMatch(/hash/);
    expect(decoyReason('Kx9!mP2#vL7q')).toBeUndefined();
  });
});

describe('false-positive classes (issue 11)', () => {
  it('names the reason for each decoy class', () => {
    const cases: Array<[string, string]> = [
      ['$2b$12$' + f.str(ALNUM, 53), 'password hash'],
      ['$argon2id$v=19$m=65536,t=3,p=4$' + f.str(B64, 22) + '$' + f.str(B64, 43), 'password hash'],
      ['$scrypt$ln=16,r=8,p=1$' + f.str(B64, 22) + '$' + f.str(B64, 43), 'password hash'],
      ['$7$CU..../....' + f.str(ALNUM, 20) + '$' + f.str(ALNUM, 43), 'password hash'],
      [`ENC[AES256_GCM,data:${f.str(B64, 16)},iv:${f.str(B64, 32)},tag:${f.str(B64, 22)}==,type:str]`, 'encrypted value (SOPS, Ansible Vault or sealed secret)'],
      ['Ag' + f.str(B64, 400), 'encrypted value (SOPS, Ansible Vault or sealed secret)'],
      [`video_box.ico-${f.str(HEX, 20)}.png`, 'file name'],
      [`main.${f.str(HEX, 16)}.js`, 'file name'],
      ['org.springframework.security:spring-security-oauth2-jose:6.2.1', 'Maven coordinates'],
      ['com.auth0:java-jwt', 'Maven coordinates'],
      ['*s3ScanSessionToken', 'pointer or reference expression'],
      ['&cfg.ApiKey', 'pointer or reference expression'],
      ['{password}', 'template or variable'],
      ['%s', 'template or variable'],
      ['${TOKEN}', 'template or variable'],
      ['REPLACE_WITH_PASSWORD', 'identifier name'],
      ['<password>', 'template or variable'],
      ['changeme', 'placeholder'],
      ['ghp_xxxx...', "another vendor's token format"],
      ['****', 'placeholder'],
    ];
    expect(cases.map(([v]) => [v, decoyReason(v)])).toEqual(cases);
  });

  it('keeps look-alike secrets', () => {
    for (const v of [f.str(ALNUM, 32), `${f.str(ALNUM, 10)}.${f.str(ALNUM, 12)}`, `svc.account:${f.str(ALNUM, 8)}X${f.str(ALNUM, 8)}`, `Ag${f.str(B64, 60)}`, `${f.str(ALNUM, 12)}.json${f.str(ALNUM, 6)}`]) {
      expect(decoyReason(v), v).toBeUndefined();
    }
  });

  it('camelCase identifiers of real words are variables; random mixed case is not', () => {
    expect(['base64PrivateKey', 's3ScanSessionToken', 'hmacSigningKeyBytes'].map(camelIdentifier)).toEqual([true, true, true]);
    expect(['aB3dEfGhJkLmNpQr', 'xkRtvQwPzmLnBvCx', f.str(ALNUM, 24)].map(camelIdentifier)).toEqual([false, false, false]);
  });

  it('code expressions, localized text, asset names and coordinates under secret keys are not reported', () => {
    const text = [
      'sessionToken = *s3ScanSessionToken',
      'privateKey := base64PrivateKey',
      'invalid_token: "Le jeton a expiré, veuillez vous reconnecter"',
      `apiKey: "video_box.ico-${f.str(HEX, 20)}.png"`,
      'token_lib = "org.springframework.security:spring-security-oauth2-jose:6.2.1"',
      `admin_password = "$2b$12$${f.str(ALNUM, 53)}"`,
      `db_password: ENC[AES256_GCM,data:${f.str(B64, 12)}=,iv:${f.str(B64, 32)},tag:${f.str(B64, 22)}==,type:str]`,
      'url = "https://s3.internal.corp/bucket?access_key=%s"',
    ].join('\n');
    expect(detectSecrets(text)).toEqual([]);
  });

  it('comparisons, self-named exports, numbered default words and property paths are not values (false positives seen in node_modules)', () => {
    const text = [
      '      if( eOnePass==ONEPASS_OFF ){',
      '      assert( eOnePass==ONEPASS_SINGLE || eOnePass==ONEPASS_MULTI );',
      'if(t.token===null||t.token==undefined_marker_value)return',
      'exports.AuthenticationMD5Password = AuthenticationMD5Password;',
      "  { name: 'john', password: 'secret1' },",
      "  { name: 'jane', password: 'password_2' },",
      "  slowRedact({ paths: ['user.password', 'data[0].secret'] })",
      "const pass = 'pa$$word'",
      "new Redis('redis://:authpassword@127.0.0.1:6380/4');",
      "parse('postgres://someuser:somepassword@somehost:381/somedatabase')",
      `'Lock-Token': 'urn:uuid:${f.str(HEX, 8)}-${f.str(HEX, 4)}-${f.str(HEX, 4)}-${f.str(HEX, 4)}-${f.str(HEX, 12)}'`,
      '{"thats":[{"secret":"**GDPR COMPLIANT**","logme":"will be logged"}]}',
    ].join('\n');
    expect(detectSecrets(text)).toEqual([]);
    expect(isPlaceholder('somepassword')).toBe(true);
    expect(isPlaceholder('Zq7vRk2m9password')).toBe(false);
    expect(['pa$$word', 's3cr3t', 'somepassword', 'secret1', 'password_2', 'admin-7', 'data[0].secret', 'items[12].token.value'].map((v) => decoyReason(v))).toEqual([
      'default or placeholder word',
      'default or placeholder word',
      'placeholder word',
      'default or placeholder word',
      'default or placeholder word',
      'default or placeholder word',
      'property path',
      'property path',
    ]);
    // Still reported: a real-looking password, and a numbered value that is not a default word.
    const pwValue = pw();
    expect(detectSecrets(`password: '${pwValue}'`).map((d) => [d.detectorId, d.secret])).toEqual([['generic-password', pwValue]]);
    expect(decoyReason('Zq7vRk2m9')).toBeUndefined();
  });

  it('the shipped public-example list is dated, sourced and suppresses exactly its values', () => {
    for (const e of PUBLIC_EXAMPLES) {
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(e.listed).toMatch(/^20\d\d-\d\d-\d\d$/);
      expect(e.source).toMatch(/^https:\/\//);
    }
    const doc = `sk_test_${f.str(ALNUM, 24)}`;
    const other = `sk_test_${f.str(ALNUM, 24)}`;
    const list = new Set([createHash('sha256').update(doc).digest('hex')]);
    expect([publicExample(doc, list), publicExample(`user:${doc}`, list), publicExample(other, list)]).toEqual(['published example', 'published example', undefined]);
  });
});

describe('false-positive classes seen on public repositories (issue 11, bench/RESULTS.md secrets review)', () => {
  // Each line is our own value in the shape of a class found by hand in prometheus, ansible,
  // spring-boot, cargo and rails; none of them is a credential.
  const NOT_SECRETS: Array<[string, string]> = [
    ['interleaved letter-digit run', 'access_key: K1L2M3N4O5P6Q7R8S9T0'],
    ['scope path after a key', '    include HttpAuthentication::Token::RequestMethods'],
    ['Java method reference', '  list.add(new Parser(HEADER, FOOTER, KeyParser::createSpecForPkcs1, "RSA"));'],
    ['Rust type annotation', 'static SERVICE_SECRET: std::sync::OnceLock<String> = OnceLock::new();'],
    ['Ruby instance variable', '    User.authenticate_by(token: @member.token, password: @member.password)'],
    ['template marker', 'vsphere_password: @VSPHERE_PASSWORD'],
    ['CLI option names', "group.add_argument('--become-password', '--become-pass', action='store_true')"],
    ['class name key', '    MovedItem("FTPPasswordMgr", "urllib3", "urllib.request"),'],
    ['Rails CSRF token in a log', 'Parameters: {"authenticity_token"=>"Qm9vZ2xlRmFrZVRva2VuVmFsdWU5Mzg0NzI5MzQ4Nzl6", "post"=>{}}'],
    ['class name key, Mgr inside', '    MovedItem("FTPPasswordMgrForRealm", "urllib3", "urllib.request"),'],
    ['Jinja lookup argument', "db_password: \"{{ lookup('ansible.builtin.password', 'creds/' + host + '/db', length=20) }}\""],
    ['log line label', '[sudo via tool] password: trace4: channel 3: written 12'],
    ['truncated doc example', '  token = "4ad81fe0c3b7e2..."'],
    ['leet placeholder', 'certificate_password: Pa$$w0rd!'],
    ['dressed-up placeholder', '    password: ReallyStrongPassword!'],
    ['numbered placeholder', '    password: "42secret"'],
    ['weak doc password', '#   User.create(name: "Ann", password: "q1w2e3")'],
    ['query string overrun', '"QUERY_STRING" => "user=ann&secret=ab12cd&format=json"'],
    ['Spring encoder id + bcrypt', `String password = "{bcrypt}$2a$10$${f.str(ALNUM, 53)}";`],
    ['escaped newline', "    'sudo password': 'secretpassword\\n',"],
    ['RFC example Basic pair', `"authorization": "Basic ${Buffer.from('aladdin:opensesame').toString('base64')}"`],
    ['trivial Basic pair', `"Authorization: Basic ${Buffer.from('ann:bob').toString('base64')}",`],
    ['URL with a numbered placeholder', 'url="https://ann:password98765@shop.acme.io/login/"'],
  ];
  for (const [name, text] of NOT_SECRETS) {
    it(`not a secret: ${name}`, () => expect(detectSecrets(text).map((m) => m.detectorId)).toEqual([]));
  }

  it('real values next to those classes are still found', () => {
    const pw = `Pa55w0rd${f.str(ALNUM, 6)}`;
    const hits = (text: string) => detectSecrets(text).map((m) => [m.detectorId, m.secret]);
    expect(hits(`password = "${pw}"`)).toEqual([['generic-password', pw]]);
    const q = `Xk29${f.str(ALNUM, 10)}`;
    // The reported value runs to the end of the bare text; the part before `&` is what is judged.
    expect(hits(`"QUERY_STRING" => "user=ann&password=${q}&format=json"`).map((h) => h[0])).toEqual(['generic-password']);
    const tok = f.str(ALNUM, 32);
    expect(hits(`api_token = "${tok}"`)).toEqual([['generic-token', tok]]);
  });
});
