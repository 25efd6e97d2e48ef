/**
 * The test oracle for `poissonTail`: each Poisson term on its own from an exact ln k! (a plain sum of
 * logarithms, no recurrence, no Stirling), the tail summed directly — the upper terms when s > m, else
 * 1 − the lower ones. Slow and plain on purpose; its ln k! sums carry about k·1e−16 of rounding, so it
 * agrees to about 1e−10 (relative), not to the last digit.
 */
export function directPoissonTail(m: number, s: number): number {
  if (s === 0) return 1;
  if (m === 0) return 0;
  const logFactorials = [0];
  const last = s + 4000 + Math.ceil(10 * m);
  for (let k = 1; k <= last; k += 1) logFactorials.push((logFactorials[k - 1] ?? 0) + Math.log(k));
  const term = (k: number): number => Math.exp(-m + k * Math.log(m) - (logFactorials[k] ?? Number.NaN));
  let sum = 0;
  if (s > m) {
    for (let k = last; k >= s; k -= 1) sum += term(k); // smallest first
    return sum;
  }
  for (let k = 0; k < s; k += 1) sum += term(k);
  return 1 - sum;
}
