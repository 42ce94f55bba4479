/** A version npm resolved from the registry (exact semver), not a git/file/tarball reference. */
export function isNpmVersion(v: string): boolean {
  return /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v);
}

/** `@scope/name@range` or `name@range` → [name, range]; the `@` of a scope is not the separator. */
export function splitNameAt(spec: string): [string, string] | undefined {
  const i = spec.indexOf('@', 1);
  if (i <= 0) return undefined;
  return [spec.slice(0, i), spec.slice(i + 1)];
}
