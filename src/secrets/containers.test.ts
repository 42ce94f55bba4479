import { describe, expect, it } from 'vitest';
import { findContainerSecrets } from './containers.js';
import { findSecrets } from './engine.js';
import { DETECTORS } from './detectors/index.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const ids = (text: string, file: string) => findContainerSecrets(text, file).map((m) => [m.detectorId, m.secret, text.slice(m.start, m.end)]);

describe('container detectors', () => {
  it('docker config.json auths.*.auth: base64 user:pass, span is the base64 value', () => {
    const auth = b64('deploy:S3cr3tPassw0rd!x');
    const text = JSON.stringify({ auths: { 'registry.example.com': { auth } } }, null, 2);
    expect(ids(text, '.docker/config.json')).toEqual([['docker-config-auth', 'deploy:S3cr3tPassw0rd!x', auth]]);
  });

  it('docker auth without a password, or not base64 text, is ignored', () => {
    expect(ids(JSON.stringify({ auths: { r: { auth: b64('justauser') } } }), 'config.json')).toEqual([]);
    expect(ids(JSON.stringify({ auths: { r: { auth: '%%%%notbase64%%%%' } } }), 'config.json')).toEqual([]);
  });

  it('URLs with user:password, percent-decoded; placeholders and templates skipped', () => {
    const text = [
      'DATABASE_URL=postgres://app:Zq8%40xP2vLm9w@db.internal.corp:5432/app',
      'mongo = "mongodb+srv://admin:Hk29fjQ0xWpz@cluster0.abcde.mongodb.net/test"',
      'url: https://user:${PASSWORD}@host.com/',
      'url: https://user:password@host.com/',
      'echo https://x-access-token:***@github.com/org/repo',
      'https://example.com/path?q=a:b@c',
    ].join('\n');
    expect(ids(text, 'app.cfg')).toEqual([
      ['url-credentials', 'Zq8@xP2vLm9w', 'Zq8%40xP2vLm9w'],
      ['url-credentials', 'Hk29fjQ0xWpz', 'Hk29fjQ0xWpz'],
    ]);
  });

  it('URL credentials on localhost/example hosts have low confidence', () => {
    const [m] = findContainerSecrets('redis://default:9fJk2LpQ0zXw@localhost:6379', 'x.txt');
    expect(m?.confidence).toBe('low');
  });

  it('connection strings: Password=...; with a server key', () => {
    const text = 'Server=tcp:db.example.net,1433;Initial Catalog=app;User ID=sa;Password=Wq9!zr2Lk0vP;Encrypt=True;';
    expect(ids(text, 'appsettings.txt')).toEqual([['connection-string', 'Wq9!zr2Lk0vP', 'Wq9!zr2Lk0vP']]);
    expect(ids('password=abc123;nothing else', 'a.txt')).toEqual([]);
  });

  it('.npmrc _authToken, _auth and _password', () => {
    const text = [
      '//registry.npmjs.org/:_authToken=Xk82Lq0Pz7Wv3Nc5Rt1Ym9Hb',
      '//npm.corp.example/:_auth=' + b64('ci:Pa55w0rdZk91'),
      '//npm.corp.example/:_password=' + b64('Hu8Kq2Lx0Pw7'),
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
    ].join('\n');
    expect(ids(text, '.npmrc').map((x) => x.slice(0, 2))).toEqual([
      ['npmrc-auth', 'Xk82Lq0Pz7Wv3Nc5Rt1Ym9Hb'],
      ['npmrc-auth', 'ci:Pa55w0rdZk91'],
      ['npmrc-auth', 'Hu8Kq2Lx0Pw7'],
    ]);
  });

  it('.pypirc password', () => {
    const text = '[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = Lk2Jq9Xv0Zp8Wm3N\n';
    expect(ids(text, '.pypirc')).toEqual([['pypirc-password', 'Lk2Jq9Xv0Zp8Wm3N', 'Lk2Jq9Xv0Zp8Wm3N']]);
    expect(ids(text, 'notes.txt')).toEqual([]);
  });

  it('kubeconfig token and client-key-data (base64 PEM)', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAx9Lk2Jq9Xv0Zp8Wm3N\n-----END RSA PRIVATE KEY-----\n';
    const keyData = b64(pem);
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: prod',
      'users:',
      '- name: admin',
      '  user:',
      '    token: eyJhbGciOiJSUzI1NiJ9.Zk29Lq0xPw7Nc5Rt1Ym9HbQs',
      `    client-key-data: ${keyData}`,
    ].join('\n');
    const found = ids(text, 'kubeconfig');
    expect(found).toContainEqual(['kubeconfig-token', 'eyJhbGciOiJSUzI1NiJ9.Zk29Lq0xPw7Nc5Rt1Ym9HbQs', 'eyJhbGciOiJSUzI1NiJ9.Zk29Lq0xPw7Nc5Rt1Ym9HbQs']);
    expect(found).toContainEqual(['kubeconfig-client-key', pem.trim(), keyData]);
  });

  it('Terraform state: sensitive_attributes, known sensitive names, sensitive outputs', () => {
    const state = {
      version: 4,
      resources: [
        {
          type: 'aws_db_instance',
          instances: [
            {
              attributes: { identifier: 'db', password: 'Tf9Lk2Xq0Wv8Zp3N', custom: { inner: 'Nested5Secret9Value' } },
              sensitive_attributes: [[{ type: 'get_attr', value: 'custom' }, { type: 'get_attr', value: 'inner' }]],
            },
          ],
        },
      ],
      outputs: { api_key: { value: 'Out9Put2Key7Value0', sensitive: true }, plain: { value: 'not-secret-value', sensitive: false } },
    };
    const text = JSON.stringify(state, null, 2);
    const found = ids(text, 'env/prod/terraform.tfstate').map((x) => x[1]);
    expect(found.sort()).toEqual(['Nested5Secret9Value', 'Out9Put2Key7Value0', 'Tf9Lk2Xq0Wv8Zp3N']);
    expect(ids(text, 'state.json').filter((x) => x[0] === 'tfstate-sensitive')).toEqual([]);
  });

  it('a .tfstate holding null, a scalar or null entries is read as empty, not a scanner error (found by the secrets-tfstate fuzz target)', () => {
    for (const text of ['null', '1', '"x"', '[null]', '{"resources":[null,{"instances":[null]}],"outputs":{"o":null}}']) {
      expect(ids(text, 'terraform.tfstate'), text).toEqual([]);
    }
  });

  it('.env secrets by key name; .env.example is skipped; placeholders skipped', () => {
    const text = 'APP_NAME=demo\nDB_PASSWORD="Vq8Lk2Xz0Wp7"\nexport API_KEY=Ab9Cd8Ef7Gh6Ij5K\nSECRET_KEY=changeme\nTOKEN=${CI_TOKEN}\n';
    expect(ids(text, '.env').map((x) => x.slice(0, 2))).toEqual([
      ['dotenv-secret', 'Vq8Lk2Xz0Wp7'],
      ['dotenv-secret', 'Ab9Cd8Ef7Gh6Ij5K'],
    ]);
    expect(ids(text, '.env.example')).toEqual([]);
  });

  it('.env keys that name a secret\'s id or place are not secrets (a CDP key id is a UUID)', () => {
    const text = 'CDP_API_KEY_ID=0b9e4d2c-7a1f-4c6e-8d3b-5e2a9f1c7d4b\nGITHUB_APP_PRIVATE_KEY_PATH=/run/secrets/Gk8Lq2Vx.pem\nSERVICE_API_KEY=Hq3Jw5Ke7Lr9Zt2X\n';
    expect(ids(text, '.env').map((x) => x.slice(0, 2))).toEqual([['dotenv-secret', 'Hq3Jw5Ke7Lr9Zt2X']]);
  });

  it('JSON/YAML config secrets by key name with low confidence', () => {
    const json = '{\n  "db": {\n    "password": "Rk8Vq2Lx0Zp7Wn3",\n    "user": "admin"\n  }\n}';
    const [m] = findContainerSecrets(json, 'config/settings.json');
    expect(m).toMatchObject({ detectorId: 'config-secret', secret: 'Rk8Vq2Lx0Zp7Wn3', confidence: 'low' });
    const yaml = 'db:\n  password: Rk8Vq2Lx0Zp7Wn3\n  passwordFile: /run/secrets/db\n';
    expect(ids(yaml, 'values.yaml').map((x) => x[1])).toEqual(['Rk8Vq2Lx0Zp7Wn3']);
  });

  it('dates and times under token/password keys are metadata, not secrets', () => {
    // API responses (GitHub's fine-grained token list) and rotation records carry these.
    const json = [
      '{',
      '  "token_last_used_at": "2026-11-27T16:40:00Z",',
      '  "token_expires_at": "2027-01-01T00:00:00.000+01:00",',
      '  "password_changed": "2025-03-09",',
      '  "api_key_rotated": "2025-03-09 08:15",',
      '  "token": "Qm4Tz8Wr2Yv6Xk1Np"',
      '}',
    ].join('\n');
    expect(ids(json, 'tokens.json').map((x) => x[1])).toEqual(['Qm4Tz8Wr2Yv6Xk1Np']);
  });

  it('PuTTY private key', () => {
    const text = [
      'PuTTY-User-Key-File-2: ssh-rsa',
      'Encryption: none',
      'Comment: rsa-key-20240101',
      'Public-Lines: 1',
      'AAAAB3NzaC1yc2EAAAABJQAAAQEAxyz',
      'Private-Lines: 2',
      'AAABAQCx9Lk2Jq9Xv0Zp8Wm3NqRt5Yb7Hc2Df4',
      'Gh6Jk8Lm0Np2Qr4St6Uv8Wx0Yz2Ab4Cd6Ef8Gh',
      'Private-MAC: 0123456789abcdef',
    ].join('\n');
    const [m] = findContainerSecrets(text, 'id_rsa.ppk');
    expect(m).toMatchObject({ detectorId: 'putty-private-key', confidence: 'high' });
  });
});

describe('Kubernetes Secret manifests', () => {
  // config-secret also reads YAML keys (low confidence); the engine merges or vetoes those (last test).
  const k8s = (text: string, file: string) => ids(text, file).filter(([id]) => id === 'kubernetes-secret');
  const secretDoc = (data: Record<string, string>, section = 'data', kind = 'Secret'): string =>
    ['apiVersion: v1', `kind: ${kind}`, 'metadata:', '  name: app', 'type: Opaque', `${section}:`, ...Object.entries(data).map(([k, v]) => `  ${k}: ${v}`), ''].join('\n');

  it('decodes data: values and reports them on the encoded text, naming the key', () => {
    const text = secretDoc({ username: b64('deployer'), 'db-password': b64('Wq82nVz4LkT9'), 'signing-material': b64('q8Zr2mWx7Lp4Nk9VtB3s') });
    expect(findContainerSecrets(text, 'k8s/secret.yaml').filter((m) => m.detectorId === 'kubernetes-secret').map((m) => [m.detectorId, m.secret, text.slice(m.start, m.end), m.validation.properties?.['key'], m.confidence])).toEqual([
      ['kubernetes-secret', 'Wq82nVz4LkT9', b64('Wq82nVz4LkT9'), 'db-password', 'medium'],
      ['kubernetes-secret', 'q8Zr2mWx7Lp4Nk9VtB3s', b64('q8Zr2mWx7Lp4Nk9VtB3s'), 'signing-material', 'medium'],
    ]);
  });

  it('reads stringData: values as they are, quoted or not', () => {
    const text = secretDoc({ 'api-token': '"hK29dLs8vN3qPz7RmX4t"', 'DB_PASSWORD': 'Tz84!kWm2q' }, 'stringData');
    expect(k8s(text, 'secret.yml')).toEqual([
      ['kubernetes-secret', 'hK29dLs8vN3qPz7RmX4t', 'hK29dLs8vN3qPz7RmX4t'],
      ['kubernetes-secret', 'Tz84!kWm2q', 'Tz84!kWm2q'],
    ]);
  });

  it('skips values that decode to non-secrets, and manifests of other kinds', () => {
    const text = [
      secretDoc({ db_password: b64('Wq82nVz4LkT9') }, 'data', 'ConfigMap'),
      secretDoc({
        username: b64('admin'),
        password: b64('changeme'),
        host: b64('db.internal.corp'),
        email: b64('ops@internal.corp'),
        port: b64('5432'),
        token: b64('${TOKEN}'),
        'tls.crt': b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'),
        binary: Buffer.from([0, 1, 2, 250, 251, 252, 3, 4, 5]).toString('base64'),
        notbase64: '"%%%"',
      }),
      secretDoc({ password: '"<password>"', url: 'https://db.internal.corp' }, 'stringData'),
    ].join('---\n');
    expect(k8s(text, 'secrets.yaml')).toEqual([]);
  });

  it('through the engine: one finding per value, and no generic finding on a rejected encoded value', () => {
    const text = secretDoc({ 'db-password': b64('Wq82nVz4LkT9'), 'app-password': b64('changeme') });
    const hits = findSecrets(text, 'secret.yaml', { detectors: DETECTORS, allow: [] });
    expect(hits.map((h) => [h.detectorId, h.secret])).toEqual([['kubernetes-secret', 'Wq82nVz4LkT9']]);
  });
});

describe('escaped docker auth JSON (GitLab DOCKER_AUTH_CONFIG)', () => {
  it('finds auth values whose quotes are escaped', () => {
    const auth = b64('robot:Jr84nXk2Wq7Lz5');
    const text = `variables:\n  DOCKER_AUTH_CONFIG: "{\\"auths\\":{\\"registry.corp.io\\":{\\"auth\\":\\"${auth}\\"}}}"\n`;
    expect(ids(text, '.gitlab-ci.yml')).toEqual([['docker-config-auth', 'robot:Jr84nXk2Wq7Lz5', auth]]);
  });

  it('ignores an escaped auth holding a variable', () => {
    const text = `DOCKER_AUTH_CONFIG: "{\\"auths\\":{\\"r.io\\":{\\"auth\\":\\"${b64('robot:${REGISTRY_PASSWORD}')}\\"}}}"`;
    expect(ids(text, '.gitlab-ci.yml')).toEqual([]);
  });

  it('docker auth with an example pair or an example identity token is not reported (spring-boot review, issue 11)', () => {
    const text = JSON.stringify({ auths: { 'registry.acme.io': { auth: b64('demoUser:demoPass') }, 'other.acme.io': { identitytoken: 'tokenvalue' } } }, null, 2);
    expect(ids(text, 'config.json')).toEqual([]);
    const real = b64(`ci:Kq2${'x'.length}Lm8Wz0Rt5Yb`);
    expect(ids(JSON.stringify({ auths: { 'registry.acme.io': { auth: real } } }), 'config.json').map((x) => x[0])).toEqual(['docker-config-auth']);
  });
});
