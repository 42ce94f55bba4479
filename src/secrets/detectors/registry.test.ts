import { describe, expect, it } from 'vitest';
import { detectSecrets } from '../detect.js';
import { ALNUM, B64URL, checkCase, coverageGaps, Fake, HEX, LOWER_ALNUM, Rng, UPPER_ALNUM, type DetectorCase } from './fake.js';
import { REGISTRY_DETECTORS } from './registry.js';

const f = new Fake(new Rng(4004));
const env = (key: string, secret: string): [string, string] => [`${key}=${secret}`, secret];
const line = (secret: string, render: (s: string) => string): [string, string] => [render(secret), secret];
const corrupt = (t: string) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');

const CASES: DetectorCase[] = [
  {
    id: 'npm-access-token',
    pos: [line(f.checksummed('npm_'), (s) => `//registry.npmjs.org/:_authToken=${s}`), env('NPM_TOKEN', f.checksummed('npm_'))],
    neg: [corrupt(f.checksummed('npm_')), `npm_${f.str(ALNUM, 20)}`],
  },
  {
    id: 'pypi-upload-token',
    pos: [line(f.pypi(), (s) => `[pypi]\n  username = __token__\n  password = ${s}\n`), env('TWINE_PASSWORD', f.pypi())],
    neg: [`pypi-AgEIcHlwaS5vcmc${f.str(B64URL, 80)}`, f.pypi().slice(0, -20)],
  },
  { id: 'testpypi-upload-token', pos: [env('TEST_PYPI_TOKEN', f.pypi('test.pypi.org'))], neg: [`pypi-AgENdGVzdC5weXBpLm9yZw${f.str(B64URL, 80)}`] },
  {
    id: 'packagist-token',
    pos: [line(`packagist_ort_${f.str(HEX, 68)}`, (s) => `composer config --global --auth http-basic.repo.packagist.com token ${s}`), env('COMPOSER_AUTH_TOKEN', `packagist_uut_${f.str(HEX, 68)}`)],
    neg: [`packagist_ort_${f.str(HEX, 60)}`, `packagist_out_${f.str(HEX, 69)}`, `packagist_ort_${'0'.repeat(68)}`],
  },
  { id: 'rubygems-api-key', pos: [line(`rubygems_${f.str(HEX, 48)}`, (s) => `---\n:rubygems_api_key: ${s}\n`)], neg: [`rubygems_${f.str(HEX, 30)}`] },
  { id: 'docker-hub-pat', pos: [line(`dckr_pat_${f.str(B64URL, 27)}`, (s) => `echo ${s} | docker login -u acme --password-stdin`)], neg: [`dckr_pat_${f.str(B64URL, 10)}`] },
  { id: 'docker-hub-oat', pos: [env('DOCKERHUB_TOKEN', `dckr_oat_${f.str(B64URL, 32)}`)], neg: [`dckr_oat_${f.str(B64URL, 12)}`] },
  { id: 'nuget-api-key', pos: [line(`oy2${f.str(LOWER_ALNUM, 43)}`, (s) => `dotnet nuget push pkg.nupkg --api-key ${s} --source nuget.org`)], neg: [`oy2${f.str(LOWER_ALNUM, 20)}`] },
  { id: 'clojars-api-token', pos: [env('CLOJARS_PASSWORD', `CLOJARS_${f.str(LOWER_ALNUM, 60)}`)], neg: [`CLOJARS_${f.str(LOWER_ALNUM, 30)}`] },
  { id: 'crates-io-api-token', pos: [env('CARGO_REGISTRY_TOKEN', `cio${f.str(ALNUM, 32)}`)], neg: ['cioSomethingNotSoRandomAtAllHere', `cio${f.str(ALNUM, 20)}`] },
  { id: 'jfrog-api-key', pos: [env('ARTIFACTORY_API_KEY', `AKCp${f.str(ALNUM, 69)}`)], neg: [`AKCp${f.str(ALNUM, 40)}`] },
  {
    id: 'jfrog-reference-token',
    pos: [env('JFROG_ACCESS_TOKEN', Buffer.from(`reftkn:01:${1900000000 + f.rng.int(1e6)}:${f.str(ALNUM, 30)}`).toString('base64').replace(/=+$/, ''))],
    // `cmVmdGtuOjAxO` is `reftkn:01` + 6 bits; the next character decides whether a `:` follows
    // (one in four random ones does): `A` makes it `8`, so this never decodes to a reference token.
    neg: [`cmVmdGtuOjAxOA${f.str(ALNUM, 59)}`],
  },
  { id: 'gradle-plugin-portal-secret', pos: [line(f.str(ALNUM, 32), (s) => `gradle.publish.key=${f.str(ALNUM, 32)}\ngradle.publish.secret=${s}`)], neg: [`gradle.publish.key=${f.str(ALNUM, 32)}`] },
  {
    id: 'bundler-credentials',
    pos: [env('BUNDLE_GEMS__CONTRIBSYS__COM', `${f.str(HEX, 8)}:${f.str(HEX, 8)}`), line(`x-access-token:${f.str(ALNUM, 24)}`, (s) => `BUNDLE_GITHUB__COM: "${s}"`)],
    neg: ['BUNDLE_GEMS__CONTRIBSYS__COM=user:${PASSWORD}', 'BUNDLE_PATH__SYSTEM=true'],
  },
  {
    id: 'nuget-cleartext-password',
    pos: [
      line(`${f.str(ALNUM, 7)}-${f.str(ALNUM, 6)}`, (s) => `      <add key="ClearTextPassword" value="${s}" />`),
      line(`${f.str(ALNUM, 14)}`, (s) => `<add key='ClearTextPassword' value='${s}'/>`),
      line(`${f.str(ALNUM, 10)}%62!`, (s) => `<add key="ClearTextPassword" value="${s}" />`),
    ],
    neg: [
      '<add key="ClearTextPassword" value="%NUGET_FEED_PASSWORD%" />',
      '<add key="ClearTextPassword" value="feed-%NUGET_FEED_SUFFIX%" />',
      '<add key="ClearTextPassword" value="changeme" />',
      '<add key="ClearTextPassword" value="" />',
      `<add key="Password" value="AQAAANCMnd8BFdERjHoAwE/Cl+sBAAAA${f.str(B64URL, 40)}" />`,
      `<add key="Username" value="${f.str(ALNUM, 14)}" />`,
    ],
  },
  { id: 'quay-robot-token', pos: [env('QUAY_ROBOT_TOKEN', f.str(UPPER_ALNUM, 64))], neg: [`QUAY_ROBOT_USERNAME=acme+builder`] },
];

describe('registry detectors', () => {
  for (const c of CASES) it(c.id, () => expect(checkCase(c, detectSecrets)).toEqual([]));
  it('coverage: every detector has positive and negative examples', () => expect(coverageGaps(REGISTRY_DETECTORS, CASES)).toEqual([]));

  it('reports the PyPI macaroon facts', () => {
    const m = detectSecrets(`password = ${f.pypi()}`).find((x) => x.detectorId === 'pypi-upload-token');
    expect(m).toMatchObject({ confidence: 'high', validation: { status: 'valid', properties: { location: 'pypi.org', caveats: '2' } } });
  });
});
