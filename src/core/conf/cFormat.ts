// printf's %g (precision 6), as the server formats real values in messages.
// PostgreSQL 12+ uses its own snprintf, which spells infinities and NaN out.
export function formatG(x: number, major: number, precision = 6): string {
  if (Number.isNaN(x)) return major >= 12 ? 'NaN' : 'nan';
  if (!Number.isFinite(x)) return major >= 12 ? (x < 0 ? '-Infinity' : 'Infinity') : x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(precision)))));
  if (exp < -4 || exp >= precision) {
    const [mant, e] = x.toExponential(precision - 1).split('e');
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const en = parseInt(e, 10);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(Math.max(0, precision - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
