/**
 * Uploads SARIF to GitHub code scanning (POST /repos/{owner}/{repo}/code-scanning/sarifs: the
 * report gzip-compressed and base64-encoded). Needs a token with `security-events: write`.
 */
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface UploadRequest {
  apiUrl: string;
  repository: string;
  token: string;
  commitSha: string;
  ref: string;
  sarif: string;
  checkoutUri: string;
}

/** Resolves to the upload id GitHub returns; UploadError with a reason otherwise. */
export async function uploadSarif(req: UploadRequest, timeoutMs = 60_000): Promise<string> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(req.repository)) throw new UploadError('GITHUB_REPOSITORY is not set (not running in GitHub Actions?)');
  if (!req.token) throw new UploadError('no token: set the token input (the default is the job token, github.token)');
  if (!/^[0-9a-f]{40,64}$/.test(req.commitSha) || !req.ref) throw new UploadError('GITHUB_SHA or GITHUB_REF is not set');
  const url = `${req.apiUrl.replace(/\/+$/, '')}/repos/${req.repository}/code-scanning/sarifs`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${req.token}`,
        'content-type': 'application/json',
        'user-agent': 'pipewarden-action',
        'x-github-api-version': '2022-11-28',
      },
      body: JSON.stringify({
        commit_sha: req.commitSha,
        ref: req.ref,
        sarif: gzipSync(req.sarif).toString('base64'),
        checkout_uri: pathToFileURL(req.checkoutUri).href,
        tool_name: 'pipewarden',
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new UploadError(`cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let reason = text.slice(0, 300);
    try {
      reason = String((JSON.parse(text) as { message?: unknown }).message ?? reason);
    } catch {
      // not JSON: keep the text
    }
    const hint = res.status === 403 || res.status === 404 ? ' (the job needs permissions: security-events: write)' : '';
    throw new UploadError(`code scanning refused the upload: HTTP ${res.status} ${reason}${hint}`, res.status);
  }
  try {
    return String((JSON.parse(text) as { id?: unknown }).id ?? '');
  } catch {
    return '';
  }
}
