// A small line diff (longest common subsequence) for previews of planned file changes.

export interface DiffLine {
  kind: '-' | '+';
  /** 1-based line number in the old (-) or new (+) text */
  line: number;
  text: string;
}

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // files this large are not configuration files anyone edits by hand: show them whole
  if (a.length * b.length > 4_000_000)
    return [
      ...a.map((text, i) => ({ kind: '-' as const, line: i + 1, text })),
      ...b.map((text, i) => ({ kind: '+' as const, line: i + 1, text })),
    ];
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ kind: '-', line: i + 1, text: a[i++] });
    } else {
      out.push({ kind: '+', line: j + 1, text: b[j++] });
    }
  }
  return out;
}
