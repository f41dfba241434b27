/**
 * A failure reason in plain words with its status code once: main's reasons often already carry the code
 * ("no such user (404)", "wrong password (401)"); older or foreign reasons do not ("no answer").
 */
export function reasonWithCode(reason: string | null, code: number | null): string {
  const text = reason?.trim() ?? '';
  if (text === '') return code ? `error ${code}` : 'unknown reason';
  if (!code || text.endsWith(`(${code})`)) return text;
  return `${text} (${code})`;
}
