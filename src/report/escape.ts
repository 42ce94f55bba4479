/**
 * Scanned files are hostile: a message or code line could carry ESC sequences that rewrite the
 * terminal, a CR that overwrites the line it sits on, or bidi overrides that reorder what a
 * reviewer reads (Trojan Source). Everything file-derived goes through here before it reaches a
 * terminal or a CI log. Tab stays raw so code frames keep their indentation.
 */
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Like escapeControls but keeps CR and LF, for formats that encode line breaks themselves. */
export function escapeControlsKeepNewlines(text: string): string {
  return text.replace(UNSAFE, (c) => (c === '\n' || c === '\r' ? c : visible(c)));
}

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
