import { pathToFileURL } from 'node:url';

/** Report paths use forward slashes on every OS so reports compare equal across runners. */
export function toPosixPath(file: string): string {
  return file.replace(/\\/g, '/');
}

export function isAbsolutePath(file: string): boolean {
  return file.startsWith('/') || file.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(file);
}

/**
 * A relative URI reference for a report path. Each segment is percent-encoded so spaces, `#`, `?`,
 * `%` and a `:` in the first segment (which would read as a scheme) stay part of the path.
 */
export function relativeUri(file: string): string {
  return toPosixPath(file).split('/').map(encodeURIComponent).join('/');
}

/** file: URI of a directory, with the trailing slash SARIF requires for a base URI. */
export function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** file: URI for an absolute path (a finding outside the root; should not happen, but stay valid). */
export function absoluteFileUri(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * A location that is a URL (a repository or organisation checked through an API, not a file in
 * the scanned tree). Renderers print it as is and never resolve it against the root.
 */
export function isUrl(file: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(file);
}
