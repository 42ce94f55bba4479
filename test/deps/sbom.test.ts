import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { cli, tree } from '../helpers.js';

/** CycloneDX 1.6 JSON schema and the two schemas it references, vendored (see test/deps/cyclonedx/README.md). */
function cyclonedxValidator(): (doc: unknown) => string[] {
  const dir = join(import.meta.dirname, 'cyclonedx');
  const load = (f: string): Record<string, unknown> => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajvFormats.default(ajv);
  ajv.addSchema(load('spdx.schema.json'), 'spdx.schema.json');
  ajv.addSchema(load('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
  const validate = ajv.compile(load('bom-1.6.schema.json'));
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

describe('deps sbom --format cyclonedx', () => {
  const validate = cyclonedxValidator();

  it('writes a CycloneDX 1.6 BOM of every ecosystem that validates against the official schema', () => {
    const root = tree({
      'package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/@types/node": {"version": "20.11.0", "dev": true}, "node_modules/lodash": {"version": "4.17.21"}}}',
      'web/package-lock.json': '{"lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.21"}}}',
      'requirements.txt': 'Django_Rest==3.2.0\n',
      'go.mod': 'module x\nrequire github.com/gin-gonic/gin v1.7.0\n',
      'Cargo.lock': 'version = 3\n[[package]]\nname = "serde"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
      'Gemfile.lock': 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.3)\n',
      'composer.lock': '{"packages": [{"name": "guzzlehttp/guzzle", "version": "7.4.0"}]}',
      'packages.lock.json': '{"version": 1, "dependencies": {"net8.0": {"Newtonsoft.Json": {"type": "Direct", "resolved": "13.0.1"}}}}',
      'gradle.lockfile': 'com.google.guava:guava:30.0-jre=runtimeClasspath\n',
    });
    const r = cli(['deps', 'sbom', '.', '--format', 'cyclonedx'], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const bom = JSON.parse(r.stdout);
    expect(validate(bom)).toEqual([]);
    expect(validate({ ...bom, components: [{ type: 'library' }] })).not.toEqual([]); // the validator can fail
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bom.components.map((c: { purl: string; scope: string }) => `${c.purl} ${c.scope}`)).toEqual([
      'pkg:cargo/serde@1.0.0 required',
      'pkg:composer/guzzlehttp/guzzle@7.4.0 required',
      'pkg:gem/rack@2.2.3 required',
      'pkg:golang/github.com/gin-gonic/gin@v1.7.0 required',
      'pkg:maven/com.google.guava/guava@30.0-jre required',
      'pkg:npm/%40types/node@20.11.0 optional',
      'pkg:npm/lodash@4.17.21 required',
      'pkg:nuget/Newtonsoft.Json@13.0.1 required',
      'pkg:pypi/django-rest@3.2.0 required',
    ]);
    const lodash = bom.components.find((c: { name: string }) => c.name === 'lodash');
    expect(lodash.properties).toEqual([
      { name: 'pipewarden:lockfile', value: 'package-lock.json' },
      { name: 'pipewarden:lockfile', value: 'web/package-lock.json' },
    ]);
    expect(bom.components.find((c: { name: string }) => c.name === 'node').group).toBe('@types');
    rmSync(root, { recursive: true });
  });

  it('-o writes a file; a malformed lockfile is reported and makes the exit code 1', () => {
    const root = tree({ 'package-lock.json': '{"lockfileVersion": 3, "packages": {}}', 'bad/yarn.lock': 'a@^1\n' });
    const r = cli(['deps', 'sbom', '.', '--format', 'cyclonedx', '-o', 'sbom.json'], { cwd: root });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('bad/yarn.lock:1:1: error: yarn.lock: expected an entry header ending with ":"; its dependencies were not checked\n');
    expect(r.code).toBe(1);
    expect(validate(JSON.parse(readFileSync(join(root, 'sbom.json'), 'utf8')))).toEqual([]);
    expect(cli(['deps', '.', '--format', 'cyclonedx'], { cwd: root }).code).toBe(2);
    rmSync(root, { recursive: true });
  });
});
